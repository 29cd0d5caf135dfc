using System.Security.Cryptography;
using Vellum.Core.Encryption;

namespace Vellum.Core.Tests.Encryption;

public sealed class LedgerSecretChainTests
{
    private static readonly byte[] ServiceSecret = Enumerable.Range(200, 32).Select(i => (byte)i).ToArray();

    private static readonly byte[] DistributionSecret = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    // Versions 0 and 1 of Secret() below, sealed by the build before format 2 under ServiceSecret.
    private const string FormatOneVersion0 = """{"version":0,"startSeqno":1,"nodeWrap":"A7u1DMiLS/4tigiQWUsQamTqZR4NhSQ53d7ArFaD8o69J/yvqon8cLVf312kxdZC6KMh1mKkohcuZJ1s","serviceSecretWrap":"CycuGx9Ryn1o7yB0HxtBujmV/8bYzDPYbmlRXO+tcNn10ejsKnUWzYVvV/zhRoh5vEvrOHkp91LhOT+m"}""";
    private const string FormatOneVersion1 = """{"version":1,"startSeqno":11,"proposal":"p","nodeWrap":"roVJRCqNSb3T4t92QZ4I+3PtJq3pg3RYEWhDZeFmYUdYagLUigx3Zf1tRfLZi5VbpYLkKjbxUti3BaiE","previousWrap":"hOFDZeanVleMOsRbZ+M49WB8nw9/VuD2cuoFxKIh3q5BO3S9o6aSmrabLAI25fAKI1o5vrFqw3lRNIYn","serviceSecretWrap":"tCS84/eZp0LbFsdMPAuTKOvcU61iwTxxagnDRzekR3wC06fwvkqIrdRi6AXq6u5pDqhbsez0F505GLXH"}""";

    private static LedgerSecret Secret(int version, long startSeqno) =>
        new(version, startSeqno, Enumerable.Range(version * 32, 32).Select(i => (byte)(i + 7)).ToArray());

    // Three versions, from seqnos 1, 11 and 21, each record made as the primary makes it.
    private static List<LedgerSecretRecord> Chain(params LedgerSecret[] secrets) =>
        secrets.Select((secret, i) => LedgerSecretChain.Seal(secret, i == 0 ? null : secrets[i - 1], ServiceSecret, DistributionSecret, i == 0 ? null : $"proposal-{i}", RandomNumberGenerator.Fill)).ToList();

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
        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.OpenForNode(relabelled, ServiceSecret, DistributionSecret));
    }

    [Fact]
    public void EveryNodeOpensTheRecordWithTheDistributionSecretAndAnotherServicesCannot()
    {
        using var secret = Secret(1, 11);
        using var previous = Secret(0, 1);
        var record = LedgerSecretChain.Seal(secret, previous, ServiceSecret, DistributionSecret, "p", RandomNumberGenerator.Fill);

        using var opened = LedgerSecretChain.OpenForNode(record, ServiceSecret, DistributionSecret);

        Assert.Equal(LedgerSecretRecord.ServiceKeyFormat, record.Format);
        Assert.Equal(secret.Secret.ToArray(), opened.Secret.ToArray());
        Assert.Equal(11, opened.StartSeqno);
        var other = Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.OpenForNode(record, ServiceSecret, new byte[32]));
        Assert.Contains("before a disaster recovery", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOlderSecretUnwindsToTheServiceSecretButOpensNoNewerVersion()
    {
        LedgerSecret[] secrets = [Secret(0, 1), Secret(1, 11), Secret(2, 21)];
        var records = Chain(secrets);

        // All an old secret yields from the records: its own version and the service secret.
        var unwound = LedgerSecretChain.Unwind(records[..1], secrets[0].Secret);
        Assert.Equal(ServiceSecret, unwound.ServiceSecret);

        foreach (var key in new[] { unwound.ServiceSecret, secrets[0].Secret.ToArray() })
        {
            Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.OpenForNode(records[1], key, key));
            Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.Unwind(records[..2], key));
        }
    }

    [Fact]
    public void ARecordOfFormatOneStillOpensWithTheServiceSecretAndKeepsItsBytes()
    {
        using var secret = Secret(1, 11);
        var json = System.Text.Encoding.UTF8.GetBytes(FormatOneVersion1);
        var record = LedgerSecretRecord.Parse(json);

        using var opened = LedgerSecretChain.OpenForNode(record, ServiceSecret, DistributionSecret);

        Assert.Equal(LedgerSecretRecord.ServiceSecretFormat, record.Format);
        Assert.Equal(secret.Secret.ToArray(), opened.Secret.ToArray());
        Assert.Equal(json, record.ToJson());
        Assert.Throws<LedgerSecretChainException>(() => LedgerSecretChain.OpenForNode(record, new byte[32], DistributionSecret));
        var records = new[] { FormatOneVersion0, FormatOneVersion1 }.Select(text => LedgerSecretRecord.Parse(System.Text.Encoding.UTF8.GetBytes(text))).ToList();
        Assert.Equal(ServiceSecret, LedgerSecretChain.Unwind(records, secret.Secret).ServiceSecret);
    }

    [Fact]
    public void ARecordVouchesOnlyForItsOwnSecretOfItsOwnService()
    {
        LedgerSecret[] secrets = [Secret(0, 1), Secret(1, 11)];
        var records = Chain(secrets);
        var formatOne = LedgerSecretRecord.Parse(System.Text.Encoding.UTF8.GetBytes(FormatOneVersion1));

        Assert.True(LedgerSecretChain.Vouches(records[1], secrets[1].Secret, ServiceSecret));
        Assert.True(LedgerSecretChain.Vouches(formatOne, secrets[1].Secret, ServiceSecret));
        Assert.False(LedgerSecretChain.Vouches(records[1], secrets[0].Secret, ServiceSecret));
        Assert.False(LedgerSecretChain.Vouches(records[1], secrets[1].Secret, DistributionSecret));
    }

    [Fact]
    public void TheRecordRoundTripsThroughJsonAndHoldsNoSecretInTheClear()
    {
        using var secret = Secret(1, 11);
        using var previous = Secret(0, 1);
        var record = LedgerSecretChain.Seal(secret, previous, ServiceSecret, DistributionSecret, "p", RandomNumberGenerator.Fill);

        var json = record.ToJson();
        var parsed = LedgerSecretRecord.Parse(json);

        Assert.Equal(record.ToJson(), parsed.ToJson());
        Assert.Equal("p", parsed.ProposalId);
        foreach (var clear in new[] { secret.Secret.ToArray(), previous.Secret.ToArray(), ServiceSecret, DistributionSecret })
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

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void ARecordNamingAFormatOtherThanTwoIsRefusedByName(int format)
    {
        var json = FormatOneVersion0.Replace("{\"version\"", "{\"format\":" + format + ",\"version\"", StringComparison.Ordinal);

        var refused = Assert.Throws<InvalidDataException>(() => LedgerSecretRecord.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Contains($"format {format} is not one this version reads", refused.Message, StringComparison.Ordinal);
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
