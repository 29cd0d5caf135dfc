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
}
