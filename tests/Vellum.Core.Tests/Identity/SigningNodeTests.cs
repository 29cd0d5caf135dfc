using System.Security.Cryptography;
using Vellum.Core.Identity;
using static Vellum.Core.Tests.Identity.TestIdentities;

namespace Vellum.Core.Tests.Identity;

public class SigningNodeTests
{
    [Fact]
    public void DescribesANodeCertificateAsItsPemAndNodeId()
    {
        using var service = Service();
        using var node = Node(service);

        var signer = SigningNode.Of(node.Certificate.RawData);

        Assert.Equal(node.NodeId, signer.NodeId);
        Assert.Equal(node.Certificate.RawData, Pem.ReadCertificate(signer.CertificatePem).RawData);
        Assert.EndsWith("-----END CERTIFICATE-----\n", signer.CertificatePem, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribesEachCertificateItIsGivenWhenTheyAlternate()
    {
        using var service = Service();
        using var first = Node(service, "node-1");
        using var second = Node(service, "node-2");

        var ids = new[] { first, second, first, second }.Select(node => SigningNode.Of(node.Certificate.RawData).NodeId).ToArray();

        Assert.Equal([first.NodeId, second.NodeId, first.NodeId, second.NodeId], ids);
        Assert.NotEqual(first.NodeId, second.NodeId);
    }

    [Fact]
    public void TheRealAclNodeCertificateGetsTheNodeIdOfItsReceipt()
    {
        using var certificate = Pem.ReadCertificate(AclVectors.NodeCertificatePem);

        Assert.Equal(AclVectors.NodeId, SigningNode.Of(certificate.RawData).NodeId);
    }

    [Fact]
    public void BytesThatAreNotACertificateAreRefused()
    {
        Assert.Throws<FormatException>(() => SigningNode.Of(RandomNumberGenerator.GetBytes(64)));
    }
}
