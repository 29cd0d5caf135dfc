using Vellum.Core.Recovery;

namespace Vellum.Core.Tests.Recovery;

public class RecoveryDealTests
{
    private static readonly byte[] LedgerSecret = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void EveryThresholdSizedGroupOfMembersRecoversTheLedgerSecret()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(5), 3, TestMembers.Seeded(1));
        var shares = Decrypt(deal);

        for (var mask = 0; mask < 32; mask++)
        {
            if (int.PopCount(mask) >= 3)
            {
                var chosen = shares.Where((_, i) => (mask & (1 << i)) != 0).ToList();
                Assert.Equal(LedgerSecret, RecoveryDeal.Recover(deal.EncryptedSecret, chosen));
            }
        }
    }

    [Fact]
    public void ADealSurvivesSerialisationOfItsSecretAndShares()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(2));

        var secret = EncryptedLedgerSecret.Parse(deal.EncryptedSecret.ToBytes());
        var shares = deal.Shares
            .Select((s, i) => EncryptedRecoveryShare.Parse(s.ToBytes()).Decrypt(TestMembers.Private[i]))
            .Select(s => RecoveryShare.Parse(s.ToBytes()))
            .Take(2)
            .ToList();

        Assert.Equal(LedgerSecret, RecoveryDeal.Recover(secret, shares));
    }

    [Fact]
    public void SharesAreNumberedInMemberOrderAndNameTheirMembersKeys()
    {
        var members = TestMembers.Public(4);

        var deal = RecoveryDeal.Create(LedgerSecret, members, 2, TestMembers.Seeded(3));

        Assert.Equal([1, 2, 3, 4], deal.Shares.Select(s => (int)s.X));
        Assert.Equal(members.Select(m => m.KeyId), deal.Shares.Select(s => s.KeyId));
        Assert.All(deal.Shares, s => Assert.Equal(deal.DealId, s.DealId));
        Assert.Equal(2, deal.EncryptedSecret.Threshold);
        Assert.Equal(4, deal.EncryptedSecret.ShareCount);
    }

    [Fact]
    public void TheStoredBytesNeverContainTheLedgerSecretOrTheShareValues()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(4));
        var stored = deal.Shares.Select(s => s.ToBytes()).Append(deal.EncryptedSecret.ToBytes()).ToList();
        var shareValues = Decrypt(deal).Select(s => s.Y.ToArray()).ToList();

        foreach (var bytes in stored)
        {
            Assert.False(Contains(bytes, LedgerSecret));
            Assert.All(shareValues, y => Assert.False(Contains(bytes, y)));
        }
    }

    [Fact]
    public void OneShareFewerThanTheThresholdIsRefusedBeforeAnyDecryption()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(4), 3, TestMembers.Seeded(5));

        var e = Assert.Throws<RecoveryException>(() => RecoveryDeal.Recover(deal.EncryptedSecret, Decrypt(deal).Take(2).ToList()));

        Assert.Equal(RecoveryFailure.TooFewShares, e.Reason);
        Assert.Contains("needs 3 shares", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoweringTheStoredThresholdDoesNotLetFewerSharesThrough()
    {
        // An attacker who edits the public threshold from 3 to 2 gets past the count check only if
        // the shares' own threshold is ignored; and even then the header is GCM associated data.
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(4), 3, TestMembers.Seeded(6));
        var bytes = deal.EncryptedSecret.ToBytes();
        bytes[5] = 2;
        var tampered = EncryptedLedgerSecret.Parse(bytes);
        var two = Decrypt(deal).Take(2).ToList();
        var forged = two.Select(s => new RecoveryShare(s.DealId, 2, s.X, s.Y)).ToList();

        Assert.Equal(RecoveryFailure.ShareFromAnotherDeal, Assert.Throws<RecoveryException>(() => RecoveryDeal.Recover(tampered, two)).Reason);
        Assert.Equal(RecoveryFailure.SecretDidNotDecrypt, Assert.Throws<RecoveryException>(() => RecoveryDeal.Recover(tampered, forged)).Reason);
    }

    [Fact]
    public void AShareWithAWrongValueMakesTheGcmTagFail()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(7));
        var shares = Decrypt(deal);
        var y = shares[1].Y.ToArray();
        y[0] ^= 1;
        var wrong = new RecoveryShare(shares[1].DealId, shares[1].Threshold, shares[1].X, y);

        var e = Assert.Throws<RecoveryException>(() => RecoveryDeal.Recover(deal.EncryptedSecret, [shares[0], wrong]));

        Assert.Equal(RecoveryFailure.SecretDidNotDecrypt, e.Reason);
        Assert.IsAssignableFrom<System.Security.Cryptography.CryptographicException>(e.InnerException);
    }

    [Fact]
    public void AnExtraWrongShareBeyondTheThresholdAlsoFails()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(8));
        var shares = Decrypt(deal);
        var wrong = new RecoveryShare(shares[2].DealId, 2, shares[2].X, new byte[32]);

        var e = Assert.Throws<RecoveryException>(() => RecoveryDeal.Recover(deal.EncryptedSecret, [shares[0], shares[1], wrong]));

        Assert.Equal(RecoveryFailure.SecretDidNotDecrypt, e.Reason);
    }

    [Theory]
    [InlineData(5, RecoveryFailure.ShareFromAnotherDeal)] // threshold: differs from the shares' own
    [InlineData(6, RecoveryFailure.SecretDidNotDecrypt)] // share count: authenticated by the tag
    [InlineData(10, RecoveryFailure.ShareFromAnotherDeal)] // deal id
    [InlineData(24, RecoveryFailure.SecretDidNotDecrypt)] // nonce
    [InlineData(40, RecoveryFailure.SecretDidNotDecrypt)] // ciphertext
    [InlineData(75, RecoveryFailure.SecretDidNotDecrypt)] // tag
    public void AnAlteredByteOfTheEncryptedSecretIsDetected(int offset, RecoveryFailure expected)
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(9));
        var shares = Decrypt(deal).Take(2).ToList();
        var bytes = deal.EncryptedSecret.ToBytes();
        bytes[offset] ^= 0x01;

        var e = Assert.Throws<RecoveryException>(() => RecoveryDeal.Recover(EncryptedLedgerSecret.Parse(bytes), shares));

        Assert.Equal(expected, e.Reason);
    }

    [Theory]
    [InlineData(0)] // magic
    [InlineData(4)] // version
    [InlineData(7)] // reserved
    [InlineData(36)] // ciphertext length
    public void AnAlteredFramingByteOfTheEncryptedSecretIsRefusedAsMalformed(int offset)
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(9));
        var bytes = deal.EncryptedSecret.ToBytes();
        bytes[offset] ^= 0x01;

        Assert.Throws<RecoveryFormatException>(() => EncryptedLedgerSecret.Parse(bytes));
    }

    [Fact]
    public void SharesOfAnEarlierDealAreRefusedByDealId()
    {
        var members = TestMembers.Public(3);
        var old = RecoveryDeal.Create(LedgerSecret, members, 2, TestMembers.Seeded(10));
        var current = RecoveryDeal.Create(LedgerSecret, members, 2, TestMembers.Seeded(11));

        var e = Assert.Throws<RecoveryException>(() => RecoveryDeal.Recover(current.EncryptedSecret, Decrypt(old)));

        Assert.Equal(RecoveryFailure.ShareFromAnotherDeal, e.Reason);
        Assert.NotEqual(old.DealId, current.DealId);
    }

    [Fact]
    public void TheSameShareTwiceIsRefused()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(12));
        var shares = Decrypt(deal);

        var e = Assert.Throws<RecoveryException>(() => RecoveryDeal.Recover(deal.EncryptedSecret, [shares[0], shares[0]]));

        Assert.Equal(RecoveryFailure.DuplicateShare, e.Reason);
    }

    [Fact]
    public void AShareDecryptedWithAnotherMembersKeyIsRefusedByKeyId()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(13));

        var e = Assert.Throws<RecoveryException>(() => deal.Shares[0].Decrypt(TestMembers.Private[1]));

        Assert.Equal(RecoveryFailure.ShareDidNotDecrypt, e.Reason);
        Assert.Contains(deal.Shares[0].KeyId.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAlteredShareCiphertextIsRefused()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(14));
        var bytes = deal.Shares[0].ToBytes();
        bytes[^1] ^= 0x80;

        var e = Assert.Throws<RecoveryException>(() => EncryptedRecoveryShare.Parse(bytes).Decrypt(TestMembers.Private[0]));

        Assert.Equal(RecoveryFailure.ShareDidNotDecrypt, e.Reason);
    }

    [Fact]
    public void AShareWhosePublicXWasChangedIsRefusedAfterDecryption()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 2, TestMembers.Seeded(15));
        var bytes = deal.Shares[0].ToBytes();
        bytes[5] = 3;

        var e = Assert.Throws<RecoveryException>(() => EncryptedRecoveryShare.Parse(bytes).Decrypt(TestMembers.Private[0]));

        Assert.Equal(RecoveryFailure.ShareFromAnotherDeal, e.Reason);
    }

    [Fact]
    public void ThresholdOneLetsAnySingleMemberRecover()
    {
        var deal = RecoveryDeal.Create(LedgerSecret, TestMembers.Public(3), 1, TestMembers.Seeded(16));

        Assert.All(Decrypt(deal), share => Assert.Equal(LedgerSecret, RecoveryDeal.Recover(deal.EncryptedSecret, [share])));
    }

    [Fact]
    public void DealingRefusesBadArguments()
    {
        var members = TestMembers.Public(3);
        var fill = TestMembers.Seeded(17);

        Assert.Throws<ArgumentException>(() => RecoveryDeal.Create(new byte[31], members, 2, fill));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecoveryDeal.Create(LedgerSecret, members, 0, fill));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecoveryDeal.Create(LedgerSecret, members, 4, fill));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecoveryDeal.Create(LedgerSecret, [], 1, fill));
        var twice = Assert.Throws<ArgumentException>(() => RecoveryDeal.Create(LedgerSecret, [members[0], members[1], members[0]], 2, fill));
        Assert.Contains("twice", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameSeedDealsTheSameSecretBytesAndSharesDifferOnlyInOaepRandomness()
    {
        var members = TestMembers.Public(2);

        var first = RecoveryDeal.Create(LedgerSecret, members, 2, TestMembers.Seeded(18));
        var second = RecoveryDeal.Create(LedgerSecret, members, 2, TestMembers.Seeded(18));

        Assert.Equal(first.EncryptedSecret.ToBytes(), second.EncryptedSecret.ToBytes());
        Assert.Equal(Decrypt(first).Select(s => s.ToBytes()), Decrypt(second).Select(s => s.ToBytes()));
    }

    private static List<RecoveryShare> Decrypt(RecoveryDeal deal) =>
        deal.Shares.Select((share, i) => share.Decrypt(TestMembers.Private[i])).ToList();

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
