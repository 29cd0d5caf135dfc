using System.Security.Cryptography;

namespace Vellum.Core.Recovery;

/// <summary>
/// Shamir's (t, n) secret sharing over GF(2⁸), one independent polynomial per secret byte: any
/// <c>t</c> distinct shares give the secret back, and fewer than <c>t</c> say nothing about it
/// (every secret is equally consistent with them).
/// </summary>
/// <remarks>
/// Byte-wise GF(2⁸) is the common construction (it is what <c>ssss</c> and HashiCorp Vault use);
/// CCF instead works in the prime field 2³¹−1 and derives its key from the shared limbs with HKDF.
/// Both are information-theoretically hiding; the byte-wise field needs no bias correction, and a
/// share is exactly as long as the secret. The field limits a sharing to 255 shares.
/// </remarks>
public static class ShamirSecretSharing
{
    /// <summary>The most shares a secret can be split into: the number of non-zero field elements.</summary>
    public const int MaxShares = 255;

    /// <summary>
    /// Splits <paramref name="secret"/> into <paramref name="shareCount"/> shares at x = 1, 2, …,
    /// <paramref name="shareCount"/>, any <paramref name="threshold"/> of which recover it.
    /// </summary>
    /// <param name="secret">The secret, at least one byte.</param>
    /// <param name="shareCount">n, from <paramref name="threshold"/> to <see cref="MaxShares"/>.</param>
    /// <param name="threshold">t, from 1 to <paramref name="shareCount"/>. With t = 1 every share is the secret.</param>
    /// <param name="fill">The source of the polynomials' random coefficients.</param>
    /// <exception cref="ArgumentException">The secret is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The counts break 1 ≤ t ≤ n ≤ 255.</exception>
    public static IReadOnlyList<SecretShare> Split(ReadOnlySpan<byte> secret, int shareCount, int threshold, RandomFill fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        if (secret.IsEmpty)
        {
            throw new ArgumentException("The secret holds at least one byte.", nameof(secret));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shareCount, threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shareCount, MaxShares);

        // coefficients[i * (t - 1) + k] is the coefficient of x^(k+1) in byte i's polynomial; the
        // constant term is the secret byte itself.
        var degree = threshold - 1;
        var coefficients = new byte[secret.Length * degree];
        var y = new byte[secret.Length];
        try
        {
            if (coefficients.Length > 0)
            {
                fill(coefficients);
            }

            var shares = new SecretShare[shareCount];
            for (var x = 1; x <= shareCount; x++)
            {
                for (var i = 0; i < secret.Length; i++)
                {
                    y[i] = Evaluate(secret[i], coefficients.AsSpan(i * degree, degree), (byte)x);
                }

                shares[x - 1] = new SecretShare((byte)x, y);
            }

            return shares;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(coefficients);
            CryptographicOperations.ZeroMemory(y);
        }
    }

    /// <summary>
    /// Interpolates the shares' polynomials at 0. Given at least the threshold's number of shares of
    /// one split this is the secret; given fewer, or shares of different splits, it is an unrelated
    /// value, which this method cannot detect (callers authenticate the result, as
    /// <see cref="RecoveryDeal"/> does with AES-GCM).
    /// </summary>
    /// <exception cref="ArgumentException">No shares, two shares with one x, or shares of different lengths.</exception>
    public static byte[] Combine(IReadOnlyList<SecretShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0)
        {
            throw new ArgumentException("Combining needs at least one share.", nameof(shares));
        }

        var length = shares[0].Y.Length;
        var seen = new bool[MaxShares + 1];
        foreach (var share in shares)
        {
            ArgumentNullException.ThrowIfNull(share, nameof(shares));
            if (share.Y.Length != length)
            {
                throw new ArgumentException($"The shares have different lengths ({length} and {share.Y.Length} bytes); they are not of one secret.", nameof(shares));
            }

            if (seen[share.X])
            {
                throw new ArgumentException($"Two shares have x = {share.X}; each share may be given once.", nameof(shares));
            }

            seen[share.X] = true;
        }

        var secret = new byte[length];
        for (var i = 0; i < shares.Count; i++)
        {
            var weight = LagrangeWeightAtZero(shares, i);
            var y = shares[i].Y;
            for (var b = 0; b < length; b++)
            {
                secret[b] = Gf256.Add(secret[b], Gf256.Multiply(weight, y[b]));
            }
        }

        return secret;
    }

    // Horner's rule from the highest coefficient down to the constant term.
    private static byte Evaluate(byte constant, ReadOnlySpan<byte> higher, byte x)
    {
        byte result = 0;
        for (var k = higher.Length - 1; k >= 0; k--)
        {
            result = Gf256.Add(Gf256.Multiply(result, x), higher[k]);
        }

        return Gf256.Add(Gf256.Multiply(result, x), constant);
    }

    // The Lagrange basis polynomial of share i evaluated at 0: the product over j ≠ i of
    // x_j / (x_j − x_i), where subtraction is XOR. The x coordinates are public, so nothing
    // secret flows through this computation.
    private static byte LagrangeWeightAtZero(IReadOnlyList<SecretShare> shares, int i)
    {
        byte numerator = 1;
        byte denominator = 1;
        var xi = shares[i].X;
        for (var j = 0; j < shares.Count; j++)
        {
            if (j == i)
            {
                continue;
            }

            var xj = shares[j].X;
            numerator = Gf256.Multiply(numerator, xj);
            denominator = Gf256.Multiply(denominator, Gf256.Add(xj, xi));
        }

        return Gf256.Divide(numerator, denominator);
    }
}
