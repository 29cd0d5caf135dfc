using System.Security.Cryptography;

namespace Vellum.Core.Recovery;

/// <summary>
/// One Shamir share of a secret: the value, at <see cref="X"/>, of a random polynomial per secret
/// byte whose constant term is that byte. <see cref="X"/> is public; <see cref="Y"/> is secret.
/// </summary>
public sealed class SecretShare
{
    private readonly byte[] _y;

    /// <summary>Copies a share with x coordinate <paramref name="x"/> and values <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is zero: the share at 0 is the secret itself.</exception>
    /// <exception cref="ArgumentException"><paramref name="y"/> is empty.</exception>
    public SecretShare(byte x, ReadOnlySpan<byte> y)
    {
        ArgumentOutOfRangeException.ThrowIfZero(x);
        if (y.IsEmpty)
        {
            throw new ArgumentException("A share holds at least one byte.", nameof(y));
        }

        X = x;
        _y = y.ToArray();
    }

    /// <summary>The x coordinate, 1 to 255.</summary>
    public byte X { get; }

    /// <summary>The polynomials' values at <see cref="X"/>, one per secret byte.</summary>
    public ReadOnlySpan<byte> Y => _y;

    /// <summary>Zeroes the values, for callers that are done with the share.</summary>
    public void Clear() => CryptographicOperations.ZeroMemory(_y);
}
