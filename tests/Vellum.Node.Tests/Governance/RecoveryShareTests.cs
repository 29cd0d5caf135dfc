using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Core.Recovery;
using Vellum.Node.Tests.Cluster;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Governance;

/// <summary>
/// Recovery shares in the ledger (docs/governance.md, "Recovery shares"): a private ledger deals
/// the ledger secret to its key-holding members at founding and again when governance changes
/// them or the threshold, and each member's share, decrypted offline, recovers the secret.
/// </summary>
public sealed class RecoveryShareTests
{
    private static Task<TestNode> StartAsync(LedgerType type, X509Certificate2? member = null, string? memberEncryptionKey = null)
        => TestNode.StartAsync(options => new NodeOptions
        {
            DataDirectory = options.DataDirectory,
            Listen = options.Listen,
            LedgerType = type,
            MemberCertificate = member,
            MemberEncryptionKey = memberEncryptionKey,
        });

    private static string FirstMemberKey(TestNode node) => File.ReadAllText(Path.Combine(node.DataDirectory, "member0_enc_key.pem"));

    [Fact]
    public async Task ANewPrivateLedgerDealsTheFirstMemberAShareThatRecoversItsLedgerSecret()
    {
        await using var node = await StartAsync(LedgerType.Private);
        using var member0 = TestCertificates.FirstMember(node.DataDirectory);

        var deal = await RecoveryProbe.DealAsync(node.Client(null));
        Assert.Equal(1, deal.GetProperty("threshold").GetInt32());
        Assert.Equal(1, deal.GetProperty("shareCount").GetInt32());
        Assert.Equal([TestCertificates.Fingerprint(member0)], deal.GetProperty("memberIds").EnumerateArray().Select(id => id.GetString()));
        Assert.True(deal.GetProperty("seqno").GetInt64() <= node.Node.Committed.Seqno);

        var share = await RecoveryProbe.ShareAsync(node.Client(member0), FirstMemberKey(node));
        var recovered = RecoveryDeal.Recover(RecoveryProbe.EncryptedSecret(deal), [share]);

        Assert.Equal(RecoveryProbe.CurrentLedgerSecret(node.DataDirectory), recovered);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(node.DataDirectory, "member0_enc_key.pem")));
        }
    }

    [Fact]
    public async Task AddingMembersAndRaisingTheThresholdDealsAgainSoThatAnyTwoOfThreeRecoverTheSecretAndOneCannot()
    {
        await using var node = await StartAsync(LedgerType.Private);
        using var member0 = TestCertificates.FirstMember(node.DataDirectory);
        using var member1 = TestCertificates.CreateEc("Member 1");
        using var member2 = TestCertificates.CreateEc("Member 2");
        using var key1 = MemberDecryptionKey.Generate(2048);
        using var key2 = MemberDecryptionKey.Generate(2048);
        var open = node.Client(null);
        var first = await RecoveryProbe.DealAsync(open);

        var proposal = JsonSerializer.Serialize(new
        {
            actions = new object[]
            {
                new { name = "set_member", args = new { cert = member1.ExportCertificatePem(), encryption_pub_key = key1.PublicKey.ToPem() } },
                new { name = "set_member", args = new { cert = member2.ExportCertificatePem(), encryption_pub_key = key2.PublicKey.ToPem() } },
                new { name = "set_recovery_threshold", args = new { recovery_threshold = 2 } },
            },
        });
        var client0 = node.Client(member0);
        using var proposed = await client0.PostAsync("/gov/proposals", TestNode.Json(proposal));
        Assert.Equal(HttpStatusCode.OK, proposed.StatusCode);
        var proposalId = (await TestNode.ReadJsonAsync(proposed)).GetProperty("proposalId").GetString();
        using var ballot = await client0.PostAsync($"/gov/proposals/{proposalId}/ballots", TestNode.Json("{\"ballot\":true}"));
        Assert.Equal("Accepted", (await TestNode.ReadJsonAsync(ballot)).GetProperty("state").GetString());

        var deal = await RecoveryProbe.WaitForDealAsync(open, deal => deal.GetProperty("shareCount").GetInt32() == 3, "the deal to three members");
        Assert.NotEqual(first.GetProperty("dealId").GetString(), deal.GetProperty("dealId").GetString());
        Assert.Equal(2, deal.GetProperty("threshold").GetInt32());
        RecoveryShare[] shares =
        [
            await RecoveryProbe.ShareAsync(client0, FirstMemberKey(node)),
            await RecoveryProbe.ShareAsync(node.Client(member1), key1.ToPem()),
            await RecoveryProbe.ShareAsync(node.Client(member2), key2.ToPem()),
        ];
        var secret = RecoveryProbe.EncryptedSecret(deal);
        var expected = RecoveryProbe.CurrentLedgerSecret(node.DataDirectory);

        Assert.Equal(expected, RecoveryDeal.Recover(secret, [shares[0], shares[1]]));
        Assert.Equal(expected, RecoveryDeal.Recover(secret, [shares[0], shares[2]]));
        Assert.Equal(expected, RecoveryDeal.Recover(secret, [shares[1], shares[2]]));
        foreach (var share in shares)
        {
            var failure = Assert.Throws<RecoveryException>(() => RecoveryDeal.Recover(secret, [share]));
            Assert.Equal(RecoveryFailure.TooFewShares, failure.Reason);
        }
    }

    [Fact]
    public async Task APublicLedgerDealsItsServiceSecretSinceItHasNoLedgerSecret()
    {
        await using var node = await StartAsync(LedgerType.Public);
        using var member0 = TestCertificates.FirstMember(node.DataDirectory);

        var deal = await RecoveryProbe.DealAsync(node.Client(null));
        var share = await RecoveryProbe.ShareAsync(node.Client(member0), FirstMemberKey(node));

        Assert.Equal("service", deal.GetProperty("secret").GetString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(node.DataDirectory, "service_secret.key")), RecoveryDeal.Recover(RecoveryProbe.EncryptedSecret(deal), [share]));
    }

    [Fact]
    public async Task TheDealSurvivesARestartUnchanged()
    {
        await using var node = await StartAsync(LedgerType.Private);
        var before = await RecoveryProbe.DealAsync(node.Client(null));

        await node.RestartAsync();
        var after = await RecoveryProbe.DealAsync(node.Client(null));

        Assert.Equal(before.GetRawText(), after.GetRawText());
    }

    [Fact]
    public async Task AGivenMemberWithAnEncryptionKeyHoldsTheShareAndAGivenMemberWithoutOneLeavesNothingToDeal()
    {
        using var member = TestCertificates.CreateEc("Given Member");
        using var key = MemberDecryptionKey.Generate(2048);
        await using (var node = await StartAsync(LedgerType.Private, member, key.PublicKey.ToPem()))
        {
            Assert.False(File.Exists(Path.Combine(node.DataDirectory, "member0_enc_key.pem")));
            var deal = await RecoveryProbe.DealAsync(node.Client(null));
            var share = await RecoveryProbe.ShareAsync(node.Client(member), key.ToPem());
            Assert.Equal(RecoveryProbe.CurrentLedgerSecret(node.DataDirectory), RecoveryDeal.Recover(RecoveryProbe.EncryptedSecret(deal), [share]));
        }

        await using var keyless = await StartAsync(LedgerType.Private, member);
        using var none = await keyless.Client(null).GetAsync("/gov/recovery");
        await ApiAssertNoDealAsync(none);
    }

    [Fact]
    public async Task ABackupOfAPrivateClusterHoldsTheSameDeal()
    {
        await using var cluster = await LocalCluster.StartAsync(3, LedgerType.Private);
        var leader = cluster.Leader()!;
        var expected = await RecoveryProbe.DealAsync(cluster.Client(leader));

        foreach (var backup in cluster.Nodes.Where(node => node is not null && node != leader))
        {
            var deal = await RecoveryProbe.WaitForDealAsync(cluster.Client(backup!), _ => true, "the deal on a backup");
            Assert.Equal(expected.GetRawText(), deal.GetRawText());
        }
    }

    [Fact]
    public async Task AShareSubmittedToARunningLedgerIsRefusedAsAlreadyRecovered()
    {
        await using var node = await StartAsync(LedgerType.Private);
        using var member0 = TestCertificates.FirstMember(node.DataDirectory);
        var share = await RecoveryProbe.ShareAsync(node.Client(member0), FirstMemberKey(node));

        using var submitted = await node.Client(member0).PostAsync("/gov/recovery/share", TestNode.Json(JsonSerializer.Serialize(new { share = Convert.ToBase64String(share.ToBytes()) })));

        Assert.Equal(HttpStatusCode.Conflict, submitted.StatusCode);
        Assert.Equal("AlreadyRecovered", (await TestNode.ReadJsonAsync(submitted)).GetProperty("error").GetProperty("code").GetString());
    }

    private static async Task ApiAssertNoDealAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("NoRecoveryDeal", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
