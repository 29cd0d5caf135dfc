using Vellum.Core.Encryption;

namespace Vellum.Core.Tests.Encryption;

public sealed class LedgerKeyringTests
{
    private static LedgerSecret Secret(int version, long startSeqno) => new(version, startSeqno, Enumerable.Repeat((byte)(version + 1), 32).ToArray());

    [Fact]
    public void AnAddedVersionIsInForceFromItsStartSeqnoAndEarlierSeqnosKeepTheirVersion()
    {
        using var keyring = new LedgerKeyring([Secret(0, 1)]);

        keyring.Add(Secret(1, 50));

        Assert.Equal(0, keyring.ForSeqno(49).Version);
        Assert.Equal(1, keyring.ForSeqno(50).Version);
        Assert.Equal(1, keyring.Latest.Version);
        Assert.Equal(2, keyring.Count);
    }

    [Fact]
    public void OnlyTheNextVersionStartingLaterCanBeAdded()
    {
        using var keyring = new LedgerKeyring([Secret(0, 1)]);

        Assert.Throws<ArgumentException>(() => keyring.Add(Secret(2, 50)));
        Assert.Throws<ArgumentException>(() => keyring.Add(Secret(1, 1)));
    }

    [Fact]
    public void DroppingAVersionPutsItsSeqnosBackUnderThePreviousOneAndItCanBeAddedAgain()
    {
        using var keyring = new LedgerKeyring([Secret(0, 1)]);
        keyring.Add(Secret(1, 50));
        var dropped = keyring.ForSeqno(60);

        keyring.DropFrom(1);
        keyring.Add(Secret(1, 70));

        Assert.Equal(0, keyring.ForSeqno(60).Version);
        Assert.Equal(70, keyring.ForSeqno(70).StartSeqno);
        Assert.Equal(1, dropped.Version);
        Assert.Throws<ArgumentOutOfRangeException>(() => keyring.DropFrom(0));
    }
}
