using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vellum.Core.Identity;
using static Vellum.Core.Tests.Identity.TestIdentities;

namespace Vellum.Core.Tests.Identity;

public class NodeIdentityTests
{
    private static readonly Sha256Hash Root = Sha256Hash.Of("a Merkle root"u8);

    [Fact]
    public void NodeIdIsTheSha256OfTheSubjectPublicKeyInfo()
    {
        using var service = Service();
        using var node = Node(service);

        var expected = Convert.ToHexStringLower(SHA256.HashData(node.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        Assert.Equal(expected, node.NodeId);
        Assert.Equal(expected, NodeIdentity.ComputeNodeId(node.Certificate));
        Assert.Matches("^[0-9a-f]{64}$", node.NodeId);
    }

    [Fact]
    public void NodeIdOfTheRealAclNodeCertificateMatchesItsReceipt()
    {
        using var certificate = Pem.ReadCertificate(AclVectors.NodeCertificatePem);

        Assert.Equal(AclVectors.NodeId, NodeIdentity.ComputeNodeId(certificate));
    }

    [Fact]
    public void RealAclReceiptSignatureVerifiesOverItsRecomputedRoot()
    {
        using var node = Pem.ReadCertificate(AclVectors.NodeCertificatePem);
        using var service = Pem.ReadCertificate(AclVectors.ServiceCertificate1Pem);
        var leaf = Sha256Hash.Of([
            .. Convert.FromHexString(AclVectors.WriteSetDigest),
            .. SHA256.HashData(Encoding.UTF8.GetBytes(AclVectors.CommitEvidence)),
            .. Convert.FromHexString(AclVectors.ClaimsDigest),
        ]);
        var root = AclVectors.LeftProof.Aggregate(leaf, (h, left) => Sha256Hash.OfPair(Sha256Hash.ParseHex(left), h));
        var signature = Convert.FromBase64String(AclVectors.Signature);

        Assert.True(TbsSignatureVerifies(node, service));
        Assert.True(NodeIdentity.VerifyRootSignature(node, root, signature));
        Assert.False(NodeIdentity.VerifyRootSignature(node, leaf, signature));
    }

    [Fact]
    public void SignedRootVerifiesUnderTheNodeAndItsCertificate()
    {
        using var service = Service();
        using var node = Node(service);

        var signature = node.SignRoot(Root);

        Assert.True(node.VerifyRootSignature(Root, signature));
        Assert.True(NodeIdentity.VerifyRootSignature(node.Certificate, Root, signature));
    }

    [Fact]
    public void RootSignatureIsDerEcdsaWithTheRootAsTheDigest()
    {
        using var service = Service();
        using var node = Node(service);

        var signature = node.SignRoot(Root);

        // ACL's verifier treats the root as an already-hashed message, so the signature must
        // verify over the root itself and not over SHA-256(root).
        using var publicKey = node.Certificate.GetECDsaPublicKey()!;
        Assert.True(publicKey.VerifyHash(Root.Bytes, signature, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(publicKey.VerifyData(Root.Bytes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var sequence = new AsnReader(signature, AsnEncodingRules.DER).ReadSequence();
        _ = sequence.ReadInteger();
        _ = sequence.ReadInteger();
        Assert.False(sequence.HasData);
    }

    [Fact]
    public void FlippingAnyBitOfTheRootOrTheSignatureFailsVerification()
    {
        using var service = Service();
        using var node = Node(service);
        var signature = node.SignRoot(Root);

        for (var bit = 0; bit < 8 * Sha256Hash.Size; bit++)
        {
            var root = Root.Bytes.ToArray();
            root[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(node.VerifyRootSignature(new Sha256Hash(root), signature), $"root bit {bit}");
        }

        for (var bit = 0; bit < 8 * signature.Length; bit++)
        {
            var tampered = signature.ToArray();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(NodeIdentity.VerifyRootSignature(node.Certificate, Root, tampered), $"signature bit {bit}");
        }
    }

    [Fact]
    public void SignatureByAnotherNodeDoesNotVerify()
    {
        using var service = Service();
        using var node = Node(service);
        using var other = Node(service, "node-2");

        Assert.False(node.VerifyRootSignature(Root, other.SignRoot(Root)));
        Assert.NotEqual(node.NodeId, other.NodeId);
    }

    [Fact]
    public void PemRoundTripGivesAnIdentityThatSignsVerifiably()
    {
        using var service = Service();
        using var original = Node(service);

        using var restored = NodeIdentity.FromPem(original.CertificatePem, original.ExportPrivateKeyPem());

        Assert.Equal(original.CertificatePem, restored.CertificatePem);
        Assert.Equal(original.NodeId, restored.NodeId);
        Assert.Equal(original.Certificate.RawData, restored.Certificate.RawData);
        Assert.True(original.VerifyRootSignature(Root, restored.SignRoot(Root)));
        Assert.True(BuildChain(restored.Certificate, service.Certificate).Built);
    }

    [Fact]
    public void PrivateKeyOfAnotherNodeIsRejected()
    {
        using var service = Service();
        using var node = Node(service);
        using var other = Node(service, "node-2");

        var error = Assert.Throws<ArgumentException>(() => NodeIdentity.FromPem(node.CertificatePem, other.ExportPrivateKeyPem()));

        Assert.Equal("privateKeyPem", error.ParamName);
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceCertificateCannotBeLoadedAsANodeIdentity()
    {
        using var service = Service();

        var error = Assert.Throws<FormatException>(() => NodeIdentity.FromPem(service.CertificatePem, service.ExportPrivateKeyPem()));

        Assert.Contains("CA certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateWithPrivateKeyCarriesTheNodeKey()
    {
        using var service = Service();
        using var node = Node(service);

        using var tls = node.CreateCertificateWithPrivateKey();
        using var key = tls.GetECDsaPrivateKey()!;

        Assert.True(tls.HasPrivateKey);
        Assert.Equal(node.Certificate.RawData, tls.RawData);
        Assert.True(node.VerifyRootSignature(Root, key.SignHash(Root.Bytes.ToArray(), DSASignatureFormat.Rfc3279DerSequence)));
    }

    [Fact]
    public void DisposedNodeRefusesToSign()
    {
        using var service = Service();
        var node = Node(service);
        node.Dispose();

        Assert.Throws<ObjectDisposedException>(() => node.SignRoot(Root));
        Assert.Throws<ObjectDisposedException>(() => node.Certificate);
        node.Dispose();
    }
}
