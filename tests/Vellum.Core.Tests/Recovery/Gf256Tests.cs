using Vellum.Core.Recovery;

namespace Vellum.Core.Tests.Recovery;

public class Gf256Tests
{
    // The worked examples of FIPS-197 §4.2 and the textbook inverse of 0x53.
    [Theory]
    [InlineData(0x57, 0x83, 0xC1)]
    [InlineData(0x57, 0x13, 0xFE)]
    [InlineData(0x53, 0xCA, 0x01)]
    [InlineData(0x00, 0xFF, 0x00)]
    [InlineData(0x01, 0xAB, 0xAB)]
    public void MultiplicationMatchesPublishedExamples(int a, int b, int product)
    {
        Assert.Equal((byte)product, Gf256.Multiply((byte)a, (byte)b));
        Assert.Equal((byte)product, Gf256.Multiply((byte)b, (byte)a));
    }

    [Fact]
    public void MultiplicationAgreesWithAPlainCarrylessMultiplyForEveryPair()
    {
        for (var a = 0; a < 256; a++)
        {
            for (var b = 0; b < 256; b++)
            {
                Assert.Equal(SlowMultiply(a, b), Gf256.Multiply((byte)a, (byte)b));
            }
        }
    }

    [Fact]
    public void EveryNonZeroElementTimesItsInverseIsOne()
    {
        var inverses = new HashSet<byte>();
        for (var a = 1; a < 256; a++)
        {
            var inverse = Gf256.Inverse((byte)a);
            Assert.Equal(1, Gf256.Multiply((byte)a, inverse));
            inverses.Add(inverse);
        }

        Assert.Equal(255, inverses.Count);
    }

    [Fact]
    public void ZeroHasNoInverse()
    {
        Assert.Throws<DivideByZeroException>(() => Gf256.Inverse(0));
        Assert.Throws<DivideByZeroException>(() => Gf256.Divide(7, 0));
    }

    [Fact]
    public void DivisionUndoesMultiplication()
    {
        for (var a = 0; a < 256; a++)
        {
            for (var b = 1; b < 256; b += 7)
            {
                Assert.Equal((byte)a, Gf256.Divide(Gf256.Multiply((byte)a, (byte)b), (byte)b));
            }
        }
    }

    // Schoolbook carry-less multiplication into 16 bits, then long division by 0x11B: a different
    // route to the product than the masked loop under test.
    private static byte SlowMultiply(int a, int b)
    {
        var wide = 0;
        for (var bit = 0; bit < 8; bit++)
        {
            if ((b & (1 << bit)) != 0)
            {
                wide ^= a << bit;
            }
        }

        for (var bit = 15; bit >= 8; bit--)
        {
            if ((wide & (1 << bit)) != 0)
            {
                wide ^= 0x11B << (bit - 8);
            }
        }

        return (byte)wide;
    }
}
