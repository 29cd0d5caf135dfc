using System.Security.Cryptography;
using Vellum.Core;
using Vellum.Core.Recovery;
using Vellum.Node.Api;
using Vellum.Node.Governance;
using Vellum.Node.Recovery;

namespace Vellum.Node.Tests.Recovery;

/// <summary>The shares a recovering node collects: whose, how many, and what a wrong one does.</summary>
public sealed class ShareCollectorTests : IClassFixture<ShareCollectorTests.Members>
{
    private static readonly string[] MemberIds = ["a", "b", "c"];
    private readonly Members _members;
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly DealRecord _deal;

    public ShareCollectorTests(Members members)
    {
        _members = members;
        var deal = RecoveryDeal.Create(_secret, members.PublicKeys, 2, RandomNumberGenerator.Fill);
        _deal = DealRecord.Parse(DealRecord.Write(DealtSecret.Service, 0, deal, MemberIds), new TransactionId(1, 5));
    }

    private byte[] ShareOf(int member) => _deal.Shares[MemberIds[member]].Decrypt(_members.Keys[member]).ToBytes();

    [Fact]
    public async Task TwoOfThreeSharesRecoverTheSecretAndOneDoesNot()
    {
        var collector = new ShareCollector(_deal, secret => secret.SequenceEqual(_secret));

        Assert.Equal(1, collector.Submit("a", ShareOf(0)));
        Assert.False(collector.Recovered.IsCompleted);
        Assert.Equal(1, collector.Submit("a", ShareOf(0)));
        Assert.False(collector.Recovered.IsCompleted);
        Assert.Equal(2, collector.Submit("c", ShareOf(2)));

        Assert.Equal(_secret, await collector.Recovered);
        Assert.Equal(409, Assert.Throws<ApiException>(() => collector.Submit("b", ShareOf(1))).StatusCode);
    }

    [Fact]
    public void AShareOfAnotherMemberOrFromANonHolderIsRefusedAndNotCounted()
    {
        var collector = new ShareCollector(_deal, secret => secret.SequenceEqual(_secret));

        Assert.Equal("NoRecoveryShare", Assert.Throws<ApiException>(() => collector.Submit("d", ShareOf(0))).Code);
        Assert.Equal("WrongRecoveryShare", Assert.Throws<ApiException>(() => collector.Submit("b", ShareOf(0))).Code);
        Assert.Equal("InvalidRecoveryShare", Assert.Throws<ApiException>(() => collector.Submit("b", new byte[7])).Code);
        Assert.Equal(0, collector.Submitted);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(255)]
    public async Task AShareWhoseThresholdIsNotTheDealsIsRefusedAsWrongAndNotKept(byte threshold)
    {
        var collector = new ShareCollector(_deal, secret => secret.SequenceEqual(_secret));
        var altered = ShareOf(0);
        altered[5] = threshold;

        Assert.Equal("WrongRecoveryShare", Assert.Throws<ApiException>(() => collector.Submit("a", altered)).Code);
        Assert.Equal(0, collector.Submitted);

        collector.Submit("b", ShareOf(1));
        Assert.Equal("WrongRecoveryShare", Assert.Throws<ApiException>(() => collector.Submit("a", altered)).Code);
        Assert.Equal(1, collector.Submitted);
        collector.Submit("a", ShareOf(0));
        Assert.Equal(_secret, await collector.Recovered);
    }

    [Fact]
    public void AnAlteredShareDropsEverySubmittedShareAndRecoversNothing()
    {
        var collector = new ShareCollector(_deal, secret => secret.SequenceEqual(_secret));
        var altered = ShareOf(1);
        altered[^1] ^= 1;

        collector.Submit("a", ShareOf(0));
        Assert.Equal("SharesDidNotRecover", Assert.Throws<ApiException>(() => collector.Submit("b", altered)).Code);

        Assert.Equal(0, collector.Submitted);
        Assert.False(collector.Recovered.IsCompleted);
        collector.Submit("b", ShareOf(1));
        Assert.Equal(1, collector.Submitted);
    }

    [Fact]
    public void ASecretTheLedgerDoesNotConfirmIsRefused()
    {
        var collector = new ShareCollector(_deal, _ => false);

        collector.Submit("a", ShareOf(0));
        Assert.Equal("SharesDidNotRecover", Assert.Throws<ApiException>(() => collector.Submit("b", ShareOf(1))).Code);
        Assert.False(collector.Recovered.IsCompleted);
    }

    /// <summary>Three members' RSA keys, made once for the class: generating them is slow.</summary>
    public sealed class Members : IDisposable
    {
        public Members()
        {
            Keys = [.. Enumerable.Range(0, 3).Select(_ => MemberDecryptionKey.Generate(2048))];
            PublicKeys = [.. Keys.Select(key => key.PublicKey)];
        }

        public IReadOnlyList<MemberDecryptionKey> Keys { get; }

        public IReadOnlyList<MemberEncryptionKey> PublicKeys { get; }

        public void Dispose()
        {
            foreach (var key in Keys)
            {
                key.Dispose();
            }
        }
    }
}
