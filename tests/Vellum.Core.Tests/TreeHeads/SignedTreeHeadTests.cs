using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Identity;
using Vellum.Core.Tests.Identity;
using Vellum.Core.TreeHeads;

namespace Vellum.Core.Tests.TreeHeads;

public sealed class SignedTreeHeadTests : IDisposable
{
    private readonly ServiceIdentity _service = TestIdentities.Service();
    private readonly NodeIdentity _node;
    private readonly TestTree _tree = new(20);

    public SignedTreeHeadTests()
    {
        _node = TestIdentities.Node(_service);
    }

    public void Dispose()
    {
        _node.Dispose();
        _service.Dispose();
    }

    [Fact]
    public void HeadSignedByANodeOfTheServiceVerifies()
    {
        var head = _tree.Head(13, _node);

        var result = TreeHeadVerifier.Verify(head, _service.CertificatePem);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(13, head.TreeSize);
    }

    [Fact]
    public void HeadRoundTripsThroughItsJsonAndStillVerifies()
    {
        var head = _tree.Head(7, _node, ["-----BEGIN CERTIFICATE-----\nnot used\n-----END CERTIFICATE-----\n"]);

        var parsed = SignedTreeHead.Parse(head.ToJson());

        Assert.Equal(head.ToJson(), parsed.ToJson());
        Assert.Equal(head.TransactionId, parsed.TransactionId);
        Assert.Equal(head.Root, parsed.Root);
        Assert.True(head.Signature.SequenceEqual(parsed.Signature));
        Assert.Equal(head.ServiceEndorsements, parsed.ServiceEndorsements);
        var plain = SignedTreeHead.Parse(_tree.Head(7, _node).ToJson());
        Assert.True(TreeHeadVerifier.Verify(plain, _service.CertificatePem).IsValid);
    }

    [Fact]
    public void HeadWithATamperedRootFailsTheSignatureCheck()
    {
        var head = _tree.Head(13, _node);
        var tampered = new SignedTreeHead(head.TransactionId, _tree.RootAt(12), head.Signature, head.Cert, head.NodeId);

        var result = TreeHeadVerifier.Verify(tampered, _service.CertificatePem);

        Assert.Equal(TreeHeadCheck.Signature, result.FailedCheck);
    }

    [Fact]
    public void HeadFailsAgainstAnotherServicesCertificate()
    {
        using var other = TestIdentities.Service();

        var result = TreeHeadVerifier.Verify(_tree.Head(13, _node), other.CertificatePem);

        Assert.Equal(TreeHeadCheck.Endorsements, result.FailedCheck);
        Assert.Contains("not signed by the service certificate", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadWhoseNodeIdIsNotItsCertificatesFailsTheNodeIdCheck()
    {
        using var otherNode = TestIdentities.Node(_service, "node-2");
        var head = _tree.Head(5, _node);
        var relabelled = new SignedTreeHead(head.TransactionId, head.Root, head.Signature, head.Cert, otherNode.NodeId);

        Assert.Equal(TreeHeadCheck.NodeId, TreeHeadVerifier.Verify(relabelled, _service.CertificatePem).FailedCheck);
    }

    [Fact]
    public void HeadSignedBeforeARecoveryVerifiesAgainstTheNewServiceThroughItsEndorsement()
    {
        using var recovered = TestIdentities.Service();
        using var previous = X509Certificate2.CreateFromPem(_service.CertificatePem);
        var endorsement = recovered.EndorsePrevious(previous);

        var endorsed = _tree.Head(13, _node, [endorsement]);
        var bare = _tree.Head(13, _node);

        Assert.True(TreeHeadVerifier.Verify(endorsed, recovered.CertificatePem).IsValid);
        Assert.Equal(TreeHeadCheck.Endorsements, TreeHeadVerifier.Verify(bare, recovered.CertificatePem).FailedCheck);
    }

    [Theory]
    [InlineData("{\"treeSize\":5,\"root\":\"00\"}", "the document.root must be 64 hexadecimal characters")]
    [InlineData("[]", "the document must be an object")]
    [InlineData("not json", "not valid JSON")]
    public void MalformedHeadJsonIsRefusedNamingTheField(string json, string message)
    {
        var error = Assert.Throws<TreeHeadFormatException>(() => SignedTreeHead.Parse(json));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadWhoseTreeSizeIsNotItsTransactionsSeqnoIsRefused()
    {
        var json = _tree.Head(13, _node).ToJson().Replace("\"treeSize\":13", "\"treeSize\":12", StringComparison.Ordinal);

        Assert.False(SignedTreeHead.TryParse(json, out _, out var error));
        Assert.Contains("names tree size 12 but signature transaction 3.13", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("treeSize", "is missing the required field \"treeSize\"")]
    [InlineData("signature", "is missing the required field \"signature\"")]
    [InlineData("cert", "is missing the required field \"cert\"")]
    public void HeadWithoutARequiredFieldIsRefused(string field, string message)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(_tree.Head(13, _node).ToJson())!.AsObject();
        json.Remove(field);

        Assert.False(SignedTreeHead.TryParse(json.ToJsonString(), out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
