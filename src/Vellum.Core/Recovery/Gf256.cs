namespace Vellum.Core.Recovery;

/// <summary>
/// Arithmetic in GF(2⁸) with the AES reduction polynomial x⁸ + x⁴ + x³ + x + 1 (0x11B), the field
/// byte-wise Shamir sharing works in: addition and subtraction are both XOR.
/// </summary>
/// <remarks>
/// Multiplication is a fixed eight-round shift-and-add with masks instead of log/exp table
/// lookups. Tables index memory by the (secret) operands, which can leak them through the cache;
/// the loop below takes the same path and touches the same memory whatever the bytes are, and
/// sharing a 32-byte key among at most 255 members is far too small for its cost to matter.
/// This is constant-time only as far as the JIT keeps it branch-free, which it does for this code
/// today but does not promise.
/// </remarks>
internal static class Gf256
{
    /// <summary>The sum (and difference) of two elements.</summary>
    public static byte Add(byte a, byte b) => (byte)(a ^ b);

    /// <summary>The product of two elements, computed without branches or lookups on their values.</summary>
    public static byte Multiply(byte a, byte b)
    {
        int product = 0;
        int x = a;
        int y = b;
        for (var bit = 0; bit < 8; bit++)
        {
            // -(y & 1) is all ones when the low bit of y is set and zero otherwise.
            product ^= x & -(y & 1);
            y >>= 1;

            // Doubling x overflows into bit 8 exactly when its high bit was set; reducing then
            // means XOR with the low byte of the polynomial, again selected by a mask.
            var carry = -((x >> 7) & 1);
            x = ((x << 1) ^ (0x1B & carry)) & 0xFF;
        }

        return (byte)product;
    }

    /// <summary>
    /// The multiplicative inverse: a²⁵⁴, since a²⁵⁵ = 1 for every non-zero a. The exponent is fixed,
    /// so the square-and-multiply chain does not depend on <paramref name="a"/>.
    /// </summary>
    /// <exception cref="DivideByZeroException"><paramref name="a"/> is zero.</exception>
    public static byte Inverse(byte a)
    {
        if (a == 0)
        {
            throw new DivideByZeroException("Zero has no inverse in GF(2^8).");
        }

        // 254 = 0b11111110: square seven times, multiplying by a after each of the first six squarings.
        var result = a;
        for (var i = 0; i < 6; i++)
        {
            result = Multiply(result, result);
            result = Multiply(result, a);
        }

        return Multiply(result, result);
    }

    /// <summary>The quotient <paramref name="a"/> / <paramref name="b"/>.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is zero.</exception>
    public static byte Divide(byte a, byte b) => Multiply(a, Inverse(b));
}
