using System.Security.Cryptography;
using Vellum.Core;

namespace Vellum.Core.Tests;

public class Sha256Tests
{
    [Fact]
    public void TheFastPathIsUsedOnLinuxWhereLibcryptoIsPresent()
    {
        // CI and development machines are Debian with OpenSSL 3; a silent fallback there would
        // cost three to six times the hashing time without anyone noticing.
        if (OperatingSystem.IsLinux() && File.Exists("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
        {
            Assert.True(Sha256.IsNative);
        }
    }

    [Fact]
    public void EveryLengthAndSplitHashesAsDotNetDoes()
    {
        var random = new Random(5);
        for (var length = 0; length <= 600; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var expected = SHA256.HashData(data);

            var whole = new byte[32];
            Sha256.Hash(data, whole);
            Assert.Equal(expected, whole);

            var first = random.Next(length + 1);
            var second = random.Next(length - first + 1);
            var parts = new byte[32];
            Sha256.Hash(data.AsSpan(0, first), data.AsSpan(first, second), data.AsSpan(first + second), parts);
            Assert.Equal(expected, parts);

            var managed = new byte[32];
            Sha256.HashManaged(data.AsSpan(0, first), data.AsSpan(first, second), data.AsSpan(first + second), managed);
            Assert.Equal(expected, managed);
        }
    }

    [Fact]
    public void PairsAndTriplesOfDigestsHashTheirConcatenation()
    {
        var a = Sha256Hash.Of("a"u8);
        var b = Sha256Hash.Of("b"u8);
        var c = Sha256Hash.Of("c"u8);

        Assert.Equal(SHA256.HashData([.. a.Bytes, .. b.Bytes]), Sha256Hash.OfPair(a, b).Bytes.ToArray());
        Assert.Equal(SHA256.HashData([.. a.Bytes, .. b.Bytes, .. c.Bytes]), Sha256Hash.OfThree(a, b, c).Bytes.ToArray());
    }

    [Fact]
    public void HmacMatchesRfc4231TestCaseTwo()
    {
        var mac = new byte[32];

        Sha256.Hmac("Jefe"u8, "what do ya want for nothing?"u8, mac);

        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Convert.ToHexStringLower(mac));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(131)]
    public void HmacAgreesWithDotNetForKeysShorterAndLongerThanABlock(int keyLength)
    {
        var key = RandomNumberGenerator.GetBytes(keyLength);
        foreach (var messageLength in new[] { 0, 1, 55, 56, 64, 100, 4096, 4097, 10_000 })
        {
            var message = RandomNumberGenerator.GetBytes(messageLength);
            var mac = new byte[32];

            Sha256.Hmac(key, message, mac);

            Assert.Equal(HMACSHA256.HashData(key, message), mac);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(131)]
    public void APreparedKeyAgreesWithDotNetOnManyMessagesWithAndWithoutLibcrypto(int keyLength)
    {
        var key = RandomNumberGenerator.GetBytes(keyLength);
        using var prepared = new HmacKey(key);
        foreach (var native in Sha256.IsNative ? new[] { true, false } : [false])
        {
            var state = new byte[Sha256.HmacStateBytes];
            Sha256.PrepareHmac(key, state, native);
            var before = state.ToArray();
            foreach (var messageLength in new[] { 0, 1, 55, 56, 64, 100, 4096, 4097, 10_000, 0, 100 })
            {
                var message = RandomNumberGenerator.GetBytes(messageLength);
                var mac = new byte[32];
                var fromKey = new byte[32];

                Sha256.FinishHmac(state, message, mac, native);
                prepared.Compute(message, fromKey);

                Assert.Equal(HMACSHA256.HashData(key, message), mac);
                Assert.Equal(mac, fromKey);
            }

            Assert.Equal(before, state);
        }
    }

    [Fact]
    public void ADisposedKeyRefusesToCompute()
    {
        var prepared = new HmacKey("key"u8);
        prepared.Dispose();

        Assert.Throws<ObjectDisposedException>(() => prepared.Compute("message"u8, new byte[32]));
    }
}
