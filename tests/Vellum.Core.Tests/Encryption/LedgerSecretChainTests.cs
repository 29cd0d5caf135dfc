using System.Security.Cryptography;
using Vellum.Core.Encryption;

namespace Vellum.Core.Tests.Encryption;

public sealed class LedgerSecretChainTests
{
    private static readonly byte[] ServiceSecret = Enumerable.Range(200, 32).Select(i => (byte)i).ToArray();

    private static LedgerSecret Secret(int version, long startSeqno) =>
        new(version, startSeqno, Enumerable.Range(version * 32, 32).Select(i => (byte)(i + 7)).ToArray());

    // Three versions, from seqnos 1, 11 and 21, each record made as the primary makes it.
    private static List<LedgerSecretRecord> Chain(params LedgerSecret[] secrets) =>
        secrets.Select((secret, i) => LedgerSecretChain.Seal(secret, i == 0 ? null : secrets[i - 1], ServiceSecret, i == 0 ? null : $"proposal-{i}", RandomNumberGenerator.Fill)).ToList();

    [Fact]
    public void UnwindingFromTheLatestSecretAloneRecoversEverySecretAndTheServiceSecret()
    {
        LedgerSecret[] secrets = [Secret(0, 1), Secret(1, 11), Secret(2, 21)];
        var records = Chain(secrets);

        var unwound = LedgerSecretChain.Unwind(records, secrets[2].Secret);

        Assert.Equal(ServiceSecret, unwound.ServiceSecret);
        Assert.Equal([0, 1, 2], unwound.Secrets.Select(secret => secret.Version));
        Assert.Equal([1L, 11L, 21L], unwound.Secrets.Select(secret => secret.StartSeqno));
        for (var i = 0; i < secrets.Length; i++)
        {
            Assert.Equal(secrets[i].Secret.ToArray(), unwound.Secrets[i].Secret.ToArray());
        }
    }

    [Fact]
    public void UnwindingAPrefixOfTheRecordsNeedsOnlyTheSecretOfItsLastVersion()
    {
        LedgerSecret[] secrets = [Secret(0, 1), Secret(1, 11), Secret(2, 21)];
        var records = Chain(secrets);

        var unwound = LedgerSecretChain.Unwind(records[..2], secrets[1].Secret);

        Assert.Equal(2, unwound.Secrets.Count);
        Assert.Equal(secrets[0].Secret.ToArray(), unwound.Secrets[0].Secret.ToArray());
    }

    [Fact]
    public void UnwindingWithAWrongOrOlderSecretIsRefusedWithAClearMessage()
    {
        LedgerSecret[] secrets = [Secret(0, 1), Secret(1, 11), Secret(2, 21)];
        var records = Chain(secrets);

        var wrong = Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.Unwind(records, new byte[32]));
        var older = Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.Unwind(records, secrets[1].Secret));

        Assert.Contains("is not ledger secret version 2", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("version 2", older.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModifiedPreviousWrapBreaksTheChainInsteadOfYieldingAWrongSecret()
    {
        LedgerSecret[] secrets = [Secret(0, 1), Secret(1, 11)];
        var records = Chain(secrets);
        var modified = (byte[])records[1].PreviousWrap!.Clone();
        modified[20] ^= 1;
        records[1] = records[1] with { PreviousWrap = modified };

        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.Unwind(records, secrets[1].Secret));
    }

    [Fact]
    public void AWrapMovedToAnotherFieldOrVersionDoesNotOpen()
    {
        LedgerSecret[] secrets = [Secret(0, 1), Secret(1, 11)];
        var records = Chain(secrets);

        // The previous wrap put where the service secret wrap belongs would hand back L0 as the service secret.
        var swapped = records[1] with { ServiceSecretWrap = records[1].PreviousWrap! };
        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.Unwind([records[0], swapped], secrets[1].Secret));

        // Version 1's node wrap relabelled as version 2 does not open either.
        var relabelled = records[1] with { Version = 2 };
        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.OpenForNode(relabelled, ServiceSecret));
    }

    [Fact]
    public void EveryNodeOpensTheRecordWithTheServiceSecretAndAnotherLedgersServiceSecretCannot()
    {
        using var secret = Secret(1, 11);
        using var previous = Secret(0, 1);
        var record = LedgerSecretChain.Seal(secret, previous, ServiceSecret, "p", RandomNumberGenerator.Fill);

        using var opened = LedgerSecretChain.OpenForNode(record, ServiceSecret);

        Assert.Equal(secret.Secret.ToArray(), opened.Secret.ToArray());
        Assert.Equal(11, opened.StartSeqno);
        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.OpenForNode(record, new byte[32]));
    }

    [Fact]
    public void TheRecordRoundTripsThroughJsonAndHoldsNoSecretInTheClear()
    {
        using var secret = Secret(1, 11);
        using var previous = Secret(0, 1);
        var record = LedgerSecretChain.Seal(secret, previous, ServiceSecret, "p", RandomNumberGenerator.Fill);

        var json = record.ToJson();
        var parsed = LedgerSecretRecord.Parse(json);

        Assert.Equal(record.ToJson(), parsed.ToJson());
        Assert.Equal("p", parsed.ProposalId);
        foreach (var clear in new[] { secret.Secret.ToArray(), previous.Secret.ToArray(), ServiceSecret })
        {
            Assert.True(json.AsSpan().IndexOf(clear) < 0);
            Assert.DoesNotContain(Convert.ToBase64String(clear), System.Text.Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("{\"version\":0,\"startSeqno\":5,\"nodeWrap\":\"\",\"serviceSecretWrap\":\"\"}")]
    public void AMalformedRecordIsRefused(string json)
    {
        Assert.Throws<InvalidDataException>(() => LedgerSecretRecord.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void RecordsOutOfOrderAreRefusedBeforeAnyKeyIsTried()
    {
        LedgerSecret[] secrets = [Secret(0, 1), Secret(1, 11)];
        var records = Chain(secrets);

        Assert.Throws<ArgumentException>(() => LedgerSecretChain.Unwind([records[1], records[0]], secrets[1].Secret));
        Assert.Throws<ArgumentException>(() => LedgerSecretChain.Unwind([], secrets[1].Secret));
    }
}
