using Vellum.Client.Tests.Support;

namespace Vellum.Client.Tests;

/// <summary>The ledger identity: fetched on first use when the caller chooses to, then pinned on every connection.</summary>
public sealed class PinningTests
{
    [Fact]
    public async Task TrustOnFirstUseReturnsTheIdentityTheNodeServesAndItPinsTheNode()
    {
        await using var node = await LedgerNode.StartAsync();

        var identity = await LedgerIdentityClient.TrustOnFirstUseAsync(node.Endpoint);
        using var client = new LedgerClient(node.Endpoint, identity, LedgerCredential.FromCertificate(node.Admin), LedgerNode.FastOptions);
        var written = await client.PostLedgerEntryAsync("pinned", waitForCommit: true);

        Assert.Equal(node.Identity.Fingerprint, identity.Fingerprint);
        Assert.Equal(node.Node.LedgerName, identity.LedgerId);
        Assert.Equal("pinned", (await client.GetLedgerEntryAsync(written.TransactionId)).Contents);
    }

    [Fact]
    public async Task AClientPinnedToAnotherLedgerRefusesTheNode()
    {
        await using var node = await LedgerNode.StartAsync();
        await using var other = await LedgerNode.StartAsync();
        using var client = new LedgerClient(node.Endpoint, other.Identity, LedgerCredential.FromCertificate(node.Admin), LedgerNode.FastOptions);

        var refused = await Assert.ThrowsAsync<LedgerRequestException>(() => client.PostLedgerEntryAsync("never sent"));

        Assert.Equal(0, refused.Status);
        Assert.Equal(LedgerRequestException.SecureConnectionFailedCode, refused.ErrorCode);
        Assert.DoesNotContain("see inner exception", refused.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrustOnFirstUseRefusesANodeWhoseChainDoesNotEndAtTheIdentityItServes()
    {
        await using var node = await LedgerNode.StartAsync();
        var foreignIdentity = $"{{\"ledgerId\":\"stub\",\"ledgerTlsCertificate\":{System.Text.Json.JsonSerializer.Serialize(node.Identity.ServiceCertificatePem)}}}";
        await using var stub = await StubLedger.StartAsync((context, _) => StubLedger.AnswerAsync(context, 200, foreignIdentity));

        var refused = await Assert.ThrowsAsync<LedgerRequestException>(() => LedgerIdentityClient.TrustOnFirstUseAsync(stub.Endpoint));

        Assert.Equal(LedgerRequestException.SecureConnectionFailedCode, refused.ErrorCode);
        Assert.Equal(1, stub.Requests);
    }

    [Fact]
    public void AnIdentityMustBeACertificate()
    {
        var refused = Assert.Throws<ArgumentException>(() => LedgerIdentity.FromPem("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"));

        Assert.Equal("serviceCertificatePem", refused.ParamName);
    }

    [Fact]
    public async Task AnIdentityIgnoresTheTrailingNulOfAclsExample()
    {
        await using var stub = await StubLedger.StartAsync((context, _) => StubLedger.AnswerAsync(context, 404, "{}"));

        var identity = LedgerIdentity.FromPem(stub.Identity.ServiceCertificatePem + "\0");

        Assert.Equal(stub.Identity.Fingerprint, identity.Fingerprint);
        Assert.DoesNotContain('\0', identity.ServiceCertificatePem);
    }
}
