using Vellum.Core.Recovery;

namespace Vellum.Core.Tests.Recovery;

public class ShamirSecretSharingTests
{
    [Fact]
    public void TwoOfThreeSharesOfOneByteMatchTheValuesWorkedOutByHand()
    {
        // y(x) = 0x42 + 0x07·x. By hand: 0x07·2 = 0x0E and 0x07·3 = 0x07 ^ 0x0E = 0x09.
        var shares = ShamirSecretSharing.Split([0x42], 3, 2, Fixed(0x07));

        Assert.Equal([1, 2, 3], shares.Select(s => (int)s.X));
        Assert.Equal([0x45, 0x4C, 0x4B], shares.Select(s => (int)s.Y[0]));
        Assert.Equal([0x42], ShamirSecretSharing.Combine([shares[1], shares[2]]));
    }

    [Fact]
    public void ThreeOfFourSharesOfOneByteMatchTheValuesWorkedOutByHand()
    {
        // y(x) = 0x01 + 0x02·x + 0x03·x². By hand: y(1) = 1^2^3 = 0; y(2) = 1^4^0x0C = 0x09;
        // y(3) = 1^6^(3·5 = 0x0F) = 0x08.
        var shares = ShamirSecretSharing.Split([0x01], 4, 3, Fixed(0x02, 0x03));

        Assert.Equal([0x00, 0x09, 0x08], shares.Take(3).Select(s => (int)s.Y[0]));
        Assert.Equal([0x01], ShamirSecretSharing.Combine(shares.Take(3).ToList()));
    }

    [Fact]
    public void ThresholdOneGivesEveryShareTheSecretItself()
    {
        var secret = new byte[] { 1, 2, 3, 250 };

        var shares = ShamirSecretSharing.Split(secret, 5, 1, _ => Assert.Fail("t = 1 needs no randomness."));

        Assert.All(shares, share => Assert.Equal(secret, share.Y.ToArray()));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 5)]
    [InlineData(3, 5)]
    [InlineData(5, 5)]
    [InlineData(4, 7)]
    public void EveryThresholdSizedSubsetRecoversTheSecretForManySeeds(int threshold, int shareCount)
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var secret = new byte[32];
            random.NextBytes(secret);
            var shares = ShamirSecretSharing.Split(secret, shareCount, threshold, random.NextBytes);

            foreach (var subset in Subsets(shareCount, threshold))
            {
                var chosen = subset.Select(i => shares[i]).ToList();
                Assert.Equal(secret, ShamirSecretSharing.Combine(chosen));
                Assert.Equal(secret, ShamirSecretSharing.Combine(Enumerable.Reverse(chosen).ToList()));
            }

            Assert.Equal(secret, ShamirSecretSharing.Combine(shares));
        }
    }

    [Fact]
    public void TheMaximumOf255SharesWorks()
    {
        var random = new Random(7);
        var secret = new byte[32];
        random.NextBytes(secret);

        var shares = ShamirSecretSharing.Split(secret, 255, 200, random.NextBytes);

        Assert.Equal(255, shares[^1].X);
        Assert.Equal(secret, ShamirSecretSharing.Combine(shares.Skip(55).ToList()));
        Assert.NotEqual(secret, ShamirSecretSharing.Combine(shares.Skip(56).ToList()));
    }

    [Fact]
    public void OneShareFewerThanTheThresholdCombinesToSomethingElse()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var secret = new byte[32];
            random.NextBytes(secret);
            var shares = ShamirSecretSharing.Split(secret, 5, 3, random.NextBytes);

            foreach (var subset in Subsets(5, 2))
            {
                Assert.NotEqual(secret, ShamirSecretSharing.Combine(subset.Select(i => shares[i]).ToList()));
            }
        }
    }

    [Fact]
    public void OneShareOfATwoOfNSplitTakesEveryValueEquallyOftenWhateverTheSecret()
    {
        // Perfect hiding, checked exhaustively for one byte: over all 256 random coefficients, the
        // share at x = 2 takes each value exactly once, for any secret. Seeing it says nothing.
        foreach (var secret in new byte[] { 0x00, 0x5A, 0xFF })
        {
            var seen = new HashSet<byte>();
            for (var coefficient = 0; coefficient < 256; coefficient++)
            {
                var shares = ShamirSecretSharing.Split([secret], 3, 2, Fixed((byte)coefficient));
                seen.Add(shares[1].Y[0]);
            }

            Assert.Equal(256, seen.Count);
        }
    }

    [Fact]
    public void TwoSharesOfAThreeOfNSplitTakeEveryPairEquallyOftenWhateverTheSecret()
    {
        foreach (var secret in new byte[] { 0x00, 0xC3 })
        {
            var seen = new HashSet<int>();
            for (var coefficients = 0; coefficients < 65536; coefficients++)
            {
                var shares = ShamirSecretSharing.Split([secret], 5, 3, Fixed((byte)coefficients, (byte)(coefficients >> 8)));
                seen.Add((shares[0].Y[0] << 8) | shares[4].Y[0]);
            }

            Assert.Equal(65536, seen.Count);
        }
    }

    [Fact]
    public void SharesOfASplitAreAllDifferentFromTheSecretAndEachOtherForARandomSeed()
    {
        var random = new Random(3);
        var secret = new byte[32];
        random.NextBytes(secret);

        var shares = ShamirSecretSharing.Split(secret, 10, 4, random.NextBytes);

        Assert.Equal(10, shares.Select(s => Convert.ToHexString(s.Y)).Distinct().Count());
        Assert.DoesNotContain(shares, s => s.Y.SequenceEqual(secret));
    }

    [Fact]
    public void CombiningRejectsTwoSharesWithOneX()
    {
        var shares = ShamirSecretSharing.Split([1, 2, 3], 3, 2, new Random(1).NextBytes);

        var e = Assert.Throws<ArgumentException>(() => ShamirSecretSharing.Combine([shares[0], shares[1], new SecretShare(2, [9, 9, 9])]));

        Assert.Contains("x = 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CombiningRejectsSharesOfDifferentLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => ShamirSecretSharing.Combine([new SecretShare(1, [1, 2]), new SecretShare(2, [1, 2, 3])]));

        Assert.Contains("different lengths", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CombiningRejectsNoShares()
    {
        Assert.Throws<ArgumentException>(() => ShamirSecretSharing.Combine([]));
    }

    [Fact]
    public void AShareAtXZeroCannotExist()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecretShare(0, [1]));
        Assert.Throws<ArgumentException>(() => new SecretShare(1, []));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 2)]
    [InlineData(2, 256)]
    [InlineData(-1, 5)]
    public void SplittingRejectsThresholdsAndCountsOutsideOneToTToNTo255(int threshold, int shareCount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShamirSecretSharing.Split([1], shareCount, threshold, new Random(1).NextBytes));
    }

    [Fact]
    public void SplittingRejectsAnEmptySecret()
    {
        Assert.Throws<ArgumentException>(() => ShamirSecretSharing.Split([], 3, 2, new Random(1).NextBytes));
    }

    [Fact]
    public void ClearingAShareZeroesItsValues()
    {
        var share = new SecretShare(4, [1, 2, 3]);

        share.Clear();

        Assert.Equal([0, 0, 0], share.Y.ToArray());
        Assert.Equal(4, share.X);
    }

    internal static RandomFill Fixed(params byte[] bytes) => destination =>
    {
        Assert.Equal(bytes.Length, destination.Length);
        bytes.CopyTo(destination);
    };

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        for (var mask = 0; mask < 1 << n; mask++)
        {
            if (int.PopCount(mask) == k)
            {
                yield return Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).ToArray();
            }
        }
    }
}
