using System.Text.Json.Nodes;
using Vellum.Client.Tests.Support;
using Vellum.Core.Claims;
using Vellum.Core.Receipts;

namespace Vellum.Client.Tests;

/// <summary>Receipts fetched from a real node and verified offline; any tampering is caught.</summary>
public sealed class ReceiptTests(SmallPagesNode fixture) : IClassFixture<SmallPagesNode>
{
    [Fact]
    public async Task AReceiptFetchedBeforeCommitIsWaitedForAndVerifiesWithItsClaims()
    {
        var client = fixture.Node.AdminClient();
        var written = await client.PostLedgerEntryAsync("receipted", "receipts");

        var receipt = await client.GetReceiptAsync(written.TransactionId);

        Assert.Equal(written.TransactionId, receipt.TransactionId);
        Assert.True(client.VerifyReceipt(receipt).IsValid, client.VerifyReceipt(receipt).ToString());
        Assert.True(receipt.VerifyEntry(fixture.Node.Identity.ServiceCertificatePem, "receipted", "receipts").IsValid);
        var claim = Assert.IsType<LedgerEntryClaim>(Assert.Single(receipt.ApplicationClaims));
        Assert.Equal("receipted", claim.Contents);
    }

    [Fact]
    public async Task TheRawJsonParsesBackIntoAReceiptThatVerifiesOffline()
    {
        var client = fixture.Node.AdminClient();
        var written = await client.PostLedgerEntryAsync("kept for an auditor", waitForCommit: true);
        var json = (await client.GetReceiptAsync(written.TransactionId)).Json;

        var parsed = LedgerReceipt.Parse(json);

        Assert.Equal(written.TransactionId, parsed.TransactionId);
        Assert.True(parsed.Verify(fixture.Node.Identity.ServiceCertificatePem).IsValid);
    }

    [Fact]
    public async Task AReceiptForOtherContentsIsRejected()
    {
        var client = fixture.Node.AdminClient();
        var written = await client.PostLedgerEntryAsync("what was written", waitForCommit: true);
        var receipt = await client.GetReceiptAsync(written.TransactionId);

        var verdict = receipt.VerifyEntry(fixture.Node.Identity.ServiceCertificatePem, "what was not written");

        Assert.Equal(ReceiptCheck.Claims, verdict.FailedCheck);
    }

    [Fact]
    public async Task ATamperedClaimIsRejected()
    {
        var client = fixture.Node.AdminClient();
        var written = await client.PostLedgerEntryAsync("honest", waitForCommit: true);
        var document = JsonNode.Parse((await client.GetReceiptAsync(written.TransactionId)).Json)!;
        document["applicationClaims"]![0]!["ledgerEntry"]!["contents"] = "forged";

        var tampered = LedgerReceipt.Parse(document.ToJsonString());

        Assert.Equal(ReceiptCheck.Claims, client.VerifyReceipt(tampered).FailedCheck);
        Assert.Equal(ReceiptCheck.Claims, tampered.VerifyEntry(fixture.Node.Identity.ServiceCertificatePem, "forged").FailedCheck);
    }

    [Fact]
    public async Task ATamperedLeafIsRejected()
    {
        var client = fixture.Node.AdminClient();
        var written = await client.PostLedgerEntryAsync("signed", waitForCommit: true);
        var document = JsonNode.Parse((await client.GetReceiptAsync(written.TransactionId)).Json)!;
        document["receipt"]!["leafComponents"]!["writeSetDigest"] = new string('0', 64);

        var tampered = LedgerReceipt.Parse(document.ToJsonString());

        Assert.Equal(ReceiptCheck.Signature, client.VerifyReceipt(tampered).FailedCheck);
    }

    [Fact]
    public async Task AReceiptDoesNotVerifyAgainstAnotherLedgersIdentity()
    {
        var client = fixture.Node.AdminClient();
        var written = await client.PostLedgerEntryAsync("ours", waitForCommit: true);
        var receipt = await client.GetReceiptAsync(written.TransactionId);
        await using var other = await LedgerNode.StartAsync();

        var verdict = receipt.Verify(other.Identity.ServiceCertificatePem);

        Assert.Equal(ReceiptCheck.Endorsements, verdict.FailedCheck);
    }
}
