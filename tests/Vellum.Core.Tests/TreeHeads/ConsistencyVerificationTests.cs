using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Identity;
using Vellum.Core.Tests.Identity;
using Vellum.Core.TreeHeads;

namespace Vellum.Core.Tests.TreeHeads;

public sealed class ConsistencyVerificationTests : IDisposable
{
    private readonly ServiceIdentity _service = TestIdentities.Service();
    private readonly NodeIdentity _node;
    private readonly TestTree _tree = new(40);

    public ConsistencyVerificationTests()
    {
        _node = TestIdentities.Node(_service);
    }

    public void Dispose()
    {
        _node.Dispose();
        _service.Dispose();
    }

    [Fact]
    public void EveryPairOfHeadsOfAGrowingTreeIsConsistent()
    {
        var heads = Enumerable.Range(1, 39).Select(size => _tree.Head(size, _node)).ToArray();
        foreach (var older in heads)
        {
            foreach (var newer in heads.Where(h => h.TreeSize >= older.TreeSize))
            {
                var result = TreeHeadVerifier.VerifyConsistency(older, newer, _tree.Proof(older.TreeSize, newer.TreeSize), _service.CertificatePem);

                Assert.True(result.IsValid, $"{older.TreeSize} → {newer.TreeSize}: {result}");
            }
        }
    }

    [Fact]
    public void AResponseRoundTripsThroughItsJsonAndVerifies()
    {
        var response = new TreeConsistency(_tree.Head(6, _node), _tree.Head(29, _node), _tree.Proof(6, 29));

        var parsed = TreeConsistency.Parse(response.ToJson());

        Assert.Equal(response.ToJson(), parsed.ToJson());
        Assert.True(parsed.Verify(_service.CertificatePem).IsValid);
    }

    [Fact]
    public void AProofWithOneHashChangedFails()
    {
        var proof = _tree.Proof(6, 29).ToArray();
        for (var i = 0; i < proof.Length; i++)
        {
            var tampered = proof.ToArray();
            tampered[i] = Sha256Hash.Of(tampered[i].Bytes);

            var result = TreeHeadVerifier.VerifyConsistency(_tree.Head(6, _node), _tree.Head(29, _node), tampered, _service.CertificatePem);

            Assert.Equal(TreeHeadCheck.Consistency, result.FailedCheck);
        }
    }

    [Fact]
    public void AProofWithAHashMissingOrAddedFails()
    {
        var proof = _tree.Proof(6, 29);

        var shorter = TreeHeadVerifier.VerifyConsistency(_tree.Head(6, _node), _tree.Head(29, _node), proof.Take(proof.Count - 1).ToArray(), _service.CertificatePem);
        var longer = TreeHeadVerifier.VerifyConsistency(_tree.Head(6, _node), _tree.Head(29, _node), [.. proof, Sha256Hash.Zero], _service.CertificatePem);

        Assert.Equal(TreeHeadCheck.Consistency, shorter.FailedCheck);
        Assert.Equal(TreeHeadCheck.Consistency, longer.FailedCheck);
    }

    [Fact]
    public void AForkSignedByTheServiceIsNotConsistentWithTheTreeItDepartsFrom()
    {
        var fork = _tree.Fork(sharedLeaves: 20);

        var forward = TreeHeadVerifier.VerifyConsistency(_tree.Head(25, _node), fork.Head(33, _node), _tree.Proof(25, 33), _service.CertificatePem);
        var forgedProof = TreeHeadVerifier.VerifyConsistency(_tree.Head(25, _node), fork.Head(33, _node), fork.Proof(25, 33), _service.CertificatePem);
        var sameSize = TreeHeadVerifier.VerifyConsistency(_tree.Head(30, _node), fork.Head(30, _node), [], _service.CertificatePem);
        var beforeTheFork = TreeHeadVerifier.VerifyConsistency(_tree.Head(18, _node), fork.Head(33, _node), fork.Proof(18, 33), _service.CertificatePem);

        Assert.Equal(TreeHeadCheck.Consistency, forward.FailedCheck);
        Assert.Equal(TreeHeadCheck.Consistency, forgedProof.FailedCheck);
        Assert.Equal(TreeHeadCheck.Consistency, sameSize.FailedCheck);
        Assert.Contains("different roots", sameSize.Reason, StringComparison.Ordinal);
        Assert.True(beforeTheFork.IsValid, beforeTheFork.ToString());
    }

    [Fact]
    public void ALaterHeadOfASmallerTreeIsReportedAsShrinking()
    {
        var result = TreeHeadVerifier.VerifyConsistency(_tree.Head(30, _node), _tree.Head(12, _node), [], _service.CertificatePem);

        Assert.Equal(TreeHeadCheck.TreeShrank, result.FailedCheck);
    }

    [Fact]
    public void AHeadWithATamperedRootFailsItsSignatureBeforeTheProofIsTried()
    {
        var newer = _tree.Head(29, _node);
        var tampered = new SignedTreeHead(newer.TransactionId, _tree.RootAt(28), newer.Signature, newer.Cert, newer.NodeId);

        var result = TreeHeadVerifier.VerifyConsistency(_tree.Head(6, _node), tampered, _tree.Proof(6, 29), _service.CertificatePem);

        Assert.Equal(TreeHeadCheck.Signature, result.FailedCheck);
        Assert.StartsWith("the later head", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadsOfAnotherServiceFailAgainstThisServicesCertificate()
    {
        using var other = TestIdentities.Service();

        var result = TreeHeadVerifier.VerifyConsistency(_tree.Head(6, _node), _tree.Head(29, _node), _tree.Proof(6, 29), other.CertificatePem);

        Assert.Equal(TreeHeadCheck.Endorsements, result.FailedCheck);
        Assert.StartsWith("the earlier head", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExtensionOfATrustedHeadNeedsOnlyTheLaterHeadToVerifyAfterARecovery()
    {
        using var recovered = TestIdentities.Service();
        using var previous = X509Certificate2.CreateFromPem(_service.CertificatePem);
        using var newNode = TestIdentities.Node(recovered, "node-9");
        var remembered = _tree.Head(10, _node);
        var after = _tree.Head(35, newNode);

        var extension = TreeHeadVerifier.VerifyExtension(remembered, after, _tree.Proof(10, 35), recovered.CertificatePem);
        var both = TreeHeadVerifier.VerifyConsistency(remembered, after, _tree.Proof(10, 35), recovered.CertificatePem);
        var endorsed = TreeHeadVerifier.VerifyConsistency(_tree.Head(10, _node, [recovered.EndorsePrevious(previous)]), after, _tree.Proof(10, 35), recovered.CertificatePem);

        Assert.True(extension.IsValid, extension.ToString());
        Assert.Equal(TreeHeadCheck.Endorsements, both.FailedCheck);
        Assert.True(endorsed.IsValid, endorsed.ToString());
    }

    [Fact]
    public void AResponseGoingBackwardsIsRefusedWhenParsed()
    {
        var forward = new TreeConsistency(_tree.Head(6, _node), _tree.Head(29, _node), []).ToJson();
        var backward = forward.Replace("\"from\"", "\"x\"", StringComparison.Ordinal).Replace("\"to\"", "\"from\"", StringComparison.Ordinal).Replace("\"x\"", "\"to\"", StringComparison.Ordinal);

        Assert.False(TreeConsistency.TryParse(backward, out _, out var error));
        Assert.Contains("goes from tree size 29 back to 6", error, StringComparison.Ordinal);
    }
}
