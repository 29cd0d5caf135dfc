using System.Net;
using System.Text;
using System.Text.Json;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Encryption;
using Vellum.Core.Entries;
using Vellum.Core.Receipts;
using Vellum.Core.Recovery;
using Vellum.Node.Governance;
using Vellum.Node.Tests.Privacy;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Governance;

/// <summary>
/// Ledger secret rotation (docs/governance.md, <c>trigger_ledger_rekey</c>): an accepted rekey
/// makes a new secret that seals the entries after its record, the earlier ones still read, the
/// members are dealt the new secret, and the chain in the ledger gives back every secret from the
/// latest alone.
/// </summary>
public sealed class LedgerRekeyTests
{
    private static Task<TestNode> StartAsync(LedgerType type) =>
        TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, LedgerType = type });

    private static Task<TestNode> StartPrivateAsync() => StartAsync(LedgerType.Private);

    [Fact]
    public async Task AfterARekeyNewPrivateEntriesNameVersionOneAndEarlierOnesStillReadAlsoAfterARestart()
    {
        await using var node = await StartPrivateAsync();
        using var member = TestCertificates.FirstMember(node.DataDirectory);
        var before = await TestNode.AppendAsync(node.AdminClient(), "sealed under version 0", "payments", waitForCommit: true);

        await Rekeying.RekeyAsync(node.Client(member), node.Node, expectedVersions: 2);
        var after = await TestNode.AppendAsync(node.AdminClient(), "sealed under version 1", "payments", waitForCommit: true);

        Assert.Equal(0, Rekeying.SealedVersion(node.Node, Rekeying.Seqno(before)));
        Assert.Equal(1, Rekeying.SealedVersion(node.Node, Rekeying.Seqno(after)));
        var record = Assert.Single(LedgerSecretRecords.Read(node.Node.Node.Ledger), record => record.Version == 1);
        Assert.True(record.StartSeqno <= Rekeying.Seqno(after));
        await AssertReadsAsync(node, (before, "sealed under version 0"), (after, "sealed under version 1"));

        await node.RestartAsync();

        Assert.Equal(2, node.Node.Node.Keyring!.Count);
        await AssertReadsAsync(node, (before, "sealed under version 0"), (after, "sealed under version 1"));
        var third = await TestNode.AppendAsync(node.AdminClient(), "sealed after the restart", "payments", waitForCommit: true);
        Assert.Equal(1, Rekeying.SealedVersion(node.Node, Rekeying.Seqno(third)));
    }

    [Fact]
    public async Task TheMembersAreDealtTheNewSecretAfterARekey()
    {
        await using var node = await StartPrivateAsync();
        using var member = TestCertificates.FirstMember(node.DataDirectory);
        var first = await RecoveryProbe.DealAsync(node.Client(null));
        Assert.Equal(0, first.GetProperty("ledgerSecretVersion").GetInt32());

        await Rekeying.RekeyAsync(node.Client(member), node.Node, expectedVersions: 2);
        var deal = await RecoveryProbe.WaitForDealAsync(node.Client(null), deal => deal.GetProperty("ledgerSecretVersion").GetInt32() == 1, "the deal of version 1");

        var share = await RecoveryProbe.ShareAsync(node.Client(member), File.ReadAllText(Path.Combine(node.DataDirectory, "member0_enc_key.pem")));
        var recovered = RecoveryDeal.Recover(RecoveryProbe.EncryptedSecret(deal), [share]);
        Assert.Equal(node.Node.Node.Keyring!.SecretOf(1).Secret.ToArray(), recovered);

        // Dealt in the record's own append, right after it: no entry sealed under version 1, and
        // no signature (where a backup's chunk could end), comes between the two.
        var record = Assert.Single(LedgerSecretRecords.Read(node.Node.Node.Ledger), record => record.Version == 1);
        Assert.Equal(record.StartSeqno, RecoveryDealer.ReadLatest(node.Node.Node.Ledger)!.Id.Seqno);
    }

    [Fact]
    public async Task AnOldSecretWithTheLedgerFilesOpensNoLaterSecret()
    {
        await using var node = await StartPrivateAsync();
        using var member = TestCertificates.FirstMember(node.DataDirectory);
        await Rekeying.RekeyAsync(node.Client(member), node.Node, expectedVersions: 2);
        var oldSecret = RecoveryProbe.CurrentLedgerSecret(node.DataDirectory);

        var records = LedgerSecretRecords.Read(node.Node.Node.Ledger);
        var unwound = LedgerSecretChain.Unwind([records[0]], oldSecret);

        // Version 0's secret gives the service secret, as it always did, but version 1 is sealed
        // for the nodes under the service key, which no record holds: neither the derivation of
        // format 1 nor any key the old secret yields opens it.
        Assert.Equal(LedgerSecretRecord.ServiceKeyFormat, records[1].Format);
        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.OpenForNode(records[1] with { Format = LedgerSecretRecord.ServiceSecretFormat }, unwound.ServiceSecret, []));
        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.OpenForNode(records[1], unwound.ServiceSecret, unwound.ServiceSecret));
        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.Unwind(records, oldSecret));
    }

    [Fact]
    public async Task AnOldSecretCannotTestAGuessOfALaterPrivateEntryAgainstItsClaimsDigest()
    {
        await using var node = await StartPrivateAsync();
        using var member = TestCertificates.FirstMember(node.DataDirectory);
        const string Salary = "salary of employee 17: 4200";
        await Rekeying.RekeyAsync(node.Client(member), node.Node, expectedVersions: 2);
        var id = TransactionId.Parse(await TestNode.AppendAsync(node.AdminClient(), Salary, "payroll", waitForCommit: true));
        await TestNode.AppendAsync(node.AdminClient(), "a later entry, so a later signature covers the first", waitForCommit: true);
        var claimsDigest = EntryCodec.ReadHeader(node.Node.Node.Ledger.ReadEntry(id.Seqno)).ClaimsDigest;

        // Version 0's secret gives the service secret; a right guess of the contents under the
        // claim secret that derives still does not reproduce the digest in the ledger files.
        var records = LedgerSecretRecords.Read(node.Node.Node.Ledger);
        var unwound = LedgerSecretChain.Unwind([records[0]], RecoveryProbe.CurrentLedgerSecret(node.DataDirectory));
        Assert.NotEqual(claimsDigest, GuessDigest(new ClaimSecretDeriver(unwound.ServiceSecret), id, "payroll", Salary));

        // The secret that seals the entry derives its claim secret, which its receipt reveals.
        Assert.Equal(claimsDigest, GuessDigest(ClaimSecretDeriver.ForLedgerSecret(node.Node.Node.Keyring!.SecretOf(1).Secret), id, "payroll", Salary));
        using var response = await node.AdminClient().GetAsync(TestNode.App($"/app/transactions/{id}/receipt"));
        var receipt = ReceiptJson.ParseTransactionReceipt(await response.Content.ReadAsStringAsync());
        Assert.Equal(Salary, Assert.IsType<LedgerEntryClaim>(Assert.Single(receipt.ApplicationClaims)).Contents);
        var result = ReceiptVerifier.Verify(receipt.Receipt!, node.Node.ServiceCertificatePem, receipt.ApplicationClaims);
        Assert.True(result.IsValid, result.ToString());
    }

    private static Sha256Hash GuessDigest(ClaimSecretDeriver deriver, TransactionId id, string collectionId, string contents)
    {
        using (deriver)
        {
            var secret = new byte[LedgerEntryClaim.SecretKeyBytes];
            deriver.Derive(id, secret);
            return LedgerEntryClaim.ComputeSingleClaimsDigest(secret, Encoding.UTF8.GetBytes(collectionId), Encoding.UTF8.GetBytes(contents));
        }
    }

    [Fact]
    public async Task TheRecordsInTheLedgerUnwindFromTheRecoveredLatestSecretToEverySecretAndTheServiceSecret()
    {
        await using var node = await StartPrivateAsync();
        using var member = TestCertificates.FirstMember(node.DataDirectory);
        await Rekeying.RekeyAsync(node.Client(member), node.Node, expectedVersions: 2);
        await Rekeying.RekeyAsync(node.Client(member), node.Node, expectedVersions: 3);
        var deal = await RecoveryProbe.WaitForDealAsync(node.Client(null), deal => deal.GetProperty("ledgerSecretVersion").GetInt32() == 2, "the deal of version 2");
        var share = await RecoveryProbe.ShareAsync(node.Client(member), File.ReadAllText(Path.Combine(node.DataDirectory, "member0_enc_key.pem")));
        var latest = RecoveryDeal.Recover(RecoveryProbe.EncryptedSecret(deal), [share]);

        var records = LedgerSecretRecords.Read(node.Node.Node.Ledger);
        var unwound = LedgerSecretChain.Unwind(records, latest);

        Assert.Equal(File.ReadAllBytes(Path.Combine(node.DataDirectory, "service_secret.key")), unwound.ServiceSecret);
        var keyring = node.Node.Node.Keyring!;
        Assert.Equal(3, unwound.Secrets.Count);
        for (var version = 0; version < 3; version++)
        {
            Assert.Equal(keyring.SecretOf(version).Secret.ToArray(), unwound.Secrets[version].Secret.ToArray());
            Assert.Equal(keyring.SecretOf(version).StartSeqno, unwound.Secrets[version].StartSeqno);
        }

        Assert.Equal(RecoveryProbe.CurrentLedgerSecret(node.DataDirectory), unwound.Secrets[0].Secret.ToArray());
        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.Unwind(records, unwound.Secrets[1].Secret));
    }

    [Fact]
    public async Task TheLedgerFilesNeverHoldALedgerSecretOrTheServiceSecretInTheClear()
    {
        await using var node = await StartPrivateAsync();
        using var member = TestCertificates.FirstMember(node.DataDirectory);
        await Rekeying.RekeyAsync(node.Client(member), node.Node, expectedVersions: 2);
        await TestNode.AppendAsync(node.AdminClient(), "an entry under version 1", waitForCommit: true);
        var keyring = node.Node.Node.Keyring!;
        var secrets = new[] { keyring.SecretOf(0).Secret.ToArray(), keyring.SecretOf(1).Secret.ToArray(), File.ReadAllBytes(Path.Combine(node.DataDirectory, "service_secret.key")) };
        await node.Node.DisposeAsync();

        Assert.NotEmpty(LedgerFiles.Containing(node.DataDirectory, LedgerSecretRecords.Collection));
        foreach (var secret in secrets)
        {
            Assert.Empty(LedgerFiles.ContainingBytes(node.DataDirectory, secret));
            Assert.Empty(LedgerFiles.Containing(node.DataDirectory, Convert.ToBase64String(secret)));
        }
    }

    [Fact]
    public async Task ARekeyIsRefusedOnAPublicLedger()
    {
        await using var node = await StartAsync(LedgerType.Public);
        using var member = TestCertificates.FirstMember(node.DataDirectory);

        using var proposed = await node.Client(member).PostAsync("/gov/proposals", TestNode.Json(Rekeying.Proposal));

        Assert.Equal(HttpStatusCode.BadRequest, proposed.StatusCode);
        Assert.Contains("public", await proposed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(LedgerSecretRecords.Read(node.Node.Node.Ledger));
    }

    private static async Task AssertReadsAsync(TestNode node, params (string Id, string Contents)[] entries)
    {
        foreach (var (id, contents) in entries)
        {
            using var response = await node.AdminClient().GetAsync(TestNode.App($"/app/transactions/{id}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await TestNode.ReadJsonAsync(response);
            Assert.Equal(contents, body.GetProperty("entry").GetProperty("contents").GetString());
        }
    }
}
