using Vellum.Core.Recovery;

namespace Vellum.Core.Tests.Recovery;

public class RecoveryFormatTests
{
    private static readonly DealId Deal = new(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"));

    [Fact]
    public void ARecoveryShareIsLaidOutAsDocumented()
    {
        var y = Enumerable.Range(0xA0, 32).Select(i => (byte)i).ToArray();

        var bytes = new RecoveryShare(Deal, 3, 7, y).ToBytes();

        Assert.Equal(
            "564C5353" + "01" + "03" + "07" + "00" + "00112233445566778899AABBCCDDEEFF" + Convert.ToHexString(y),
            Convert.ToHexString(bytes));
        var read = RecoveryShare.Parse(bytes);
        Assert.Equal((Deal, 3, 7), (read.DealId, (int)read.Threshold, (int)read.X));
        Assert.Equal(y, read.Y.ToArray());
    }

    [Fact]
    public void AnEncryptedShareIsLaidOutAsDocumented()
    {
        var key = TestMembers.Private[0].PublicKey;
        var share = EncryptedRecoveryShare.Encrypt(new RecoveryShare(Deal, 2, 9, new byte[32]), key);

        var bytes = share.ToBytes();

        Assert.Equal("564C4553" + "01" + "09" + "0001", Convert.ToHexString(bytes[..8]));
        Assert.Equal(Deal, new DealId(bytes.AsSpan(8, 16)));
        Assert.Equal(key.KeyId, new Sha256Hash(bytes.AsSpan(24, 32)));
        Assert.Equal(56 + 256, bytes.Length);
        Assert.Equal(bytes, EncryptedRecoveryShare.Parse(bytes).ToBytes());
    }

    [Fact]
    public void AnEncryptedLedgerSecretIsLaidOutAsDocumented()
    {
        var deal = RecoveryDeal.Create(new byte[32], TestMembers.Public(3), 2, Counting());

        var bytes = deal.EncryptedSecret.ToBytes();

        // The counting source hands out 0, 1, 2, …: the deal id takes bytes 0–15, the wrapping key
        // 16–47, and the nonce 48–59.
        Assert.Equal(86, bytes.Length);
        Assert.Equal("564C5753" + "01" + "02" + "03" + "00", Convert.ToHexString(bytes[..8]));
        Assert.Equal("000102030405060708090A0B0C0D0E0F", Convert.ToHexString(bytes[8..24]));
        Assert.Equal("303132333435363738393A3B", Convert.ToHexString(bytes[24..36]));
        Assert.Equal("2000", Convert.ToHexString(bytes[36..38]));
    }

    [Fact]
    public void TheWrappingKeyIsExactlyTheSecretTheSharesSplit()
    {
        // With the counting source the wrapping key is 16, 17, …, 47; combining the shares must give
        // exactly that, so the shares split the key the secret is sealed under and nothing derived.
        var deal = RecoveryDeal.Create(new byte[32], TestMembers.Public(2), 2, Counting());
        var shares = deal.Shares.Select((s, i) => s.Decrypt(TestMembers.Private[i])).Select(s => new SecretShare(s.X, s.Y)).ToList();

        Assert.Equal(Enumerable.Range(16, 32).Select(i => (byte)i), ShamirSecretSharing.Combine(shares));
    }

    [Theory]
    [InlineData(0, "do not start")]
    [InlineData(4, "format version 2")]
    [InlineData(5, "at least 1")]
    [InlineData(6, "at least 1")]
    [InlineData(7, "reserved")]
    public void AMalformedRecoveryShareIsRefusedWithItsReason(int offset, string reason)
    {
        var bytes = new RecoveryShare(Deal, 1, 1, new byte[32]).ToBytes();
        bytes[offset] = offset == 4 ? (byte)2 : offset is 5 or 6 ? (byte)0 : (byte)0x7F;

        var e = Assert.Throws<RecoveryFormatException>(() => RecoveryShare.Parse(bytes));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedOrExtendedRecordIsRefused()
    {
        var share = new RecoveryShare(Deal, 1, 1, new byte[32]).ToBytes();
        var encrypted = EncryptedRecoveryShare.Encrypt(RecoveryShare.Parse(share), TestMembers.Private[0].PublicKey).ToBytes();
        var secret = RecoveryDeal.Create(new byte[32], TestMembers.Public(1), 1, Counting()).EncryptedSecret.ToBytes();

        Assert.Throws<RecoveryFormatException>(() => RecoveryShare.Parse(share.AsSpan(..^1)));
        Assert.Throws<RecoveryFormatException>(() => EncryptedRecoveryShare.Parse(encrypted.AsSpan(..^1)));
        Assert.Throws<RecoveryFormatException>(() => EncryptedRecoveryShare.Parse([.. encrypted, 0]));
        Assert.Throws<RecoveryFormatException>(() => EncryptedLedgerSecret.Parse(secret.AsSpan(..^1)));
        Assert.Throws<RecoveryFormatException>(() => EncryptedLedgerSecret.Parse([]));
    }

    [Fact]
    public void OneFormatIsNotReadAsAnother()
    {
        var share = new RecoveryShare(Deal, 1, 1, new byte[32]).ToBytes();

        var e = Assert.Throws<RecoveryFormatException>(() => EncryptedLedgerSecret.Parse(share));

        Assert.Contains("not an encrypted ledger secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADealIdPrintsAsLowercaseHexAndComparesByValue()
    {
        Assert.Equal("00112233445566778899aabbccddeeff", Deal.ToString());
        Assert.Equal(Deal, new DealId(Convert.FromHexString("00112233445566778899AABBCCDDEEFF")));
        Assert.Throws<ArgumentException>(() => new DealId(new byte[15]));
    }

    private static RandomFill Counting()
    {
        byte next = 0;
        return destination =>
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = next++;
            }
        };
    }
}
