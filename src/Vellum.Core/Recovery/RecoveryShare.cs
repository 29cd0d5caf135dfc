using System.Security.Cryptography;

namespace Vellum.Core.Recovery;

/// <summary>
/// A member's decrypted recovery share: one Shamir share of a deal's wrapping key, with the deal
/// it belongs to and that deal's threshold. These bytes are what a member submits during
/// recovery; the layout is in docs/storage-format.md, "Recovery shares".
/// </summary>
public sealed class RecoveryShare
{
    /// <summary>The length of a serialised share in bytes.</summary>
    public const int Size = 24 + WrappingKeyBytes;

    /// <summary>The length of a wrapping key, and so of a share's value.</summary>
    public const int WrappingKeyBytes = 32;

    /// <summary>The format version written and read.</summary>
    public const byte Version = 1;

    internal static ReadOnlySpan<byte> Magic => "VLSS"u8;

    private readonly byte[] _y;

    /// <summary>Creates a share of deal <paramref name="dealId"/> with threshold <paramref name="threshold"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold or x is zero.</exception>
    /// <exception cref="ArgumentException">The value is not <see cref="WrappingKeyBytes"/> bytes.</exception>
    public RecoveryShare(DealId dealId, byte threshold, byte x, ReadOnlySpan<byte> y)
    {
        ArgumentOutOfRangeException.ThrowIfZero(threshold);
        ArgumentOutOfRangeException.ThrowIfZero(x);
        if (y.Length != WrappingKeyBytes)
        {
            throw new ArgumentException($"A share's value is {WrappingKeyBytes} bytes, not {y.Length}.", nameof(y));
        }

        DealId = dealId;
        Threshold = threshold;
        X = x;
        _y = y.ToArray();
    }

    /// <summary>The deal this share belongs to.</summary>
    public DealId DealId { get; }

    /// <summary>How many shares of the deal recover its secret.</summary>
    public byte Threshold { get; }

    /// <summary>The share's x coordinate, 1 to the deal's share count.</summary>
    public byte X { get; }

    /// <summary>The share's value: the wrapping key's polynomials at <see cref="X"/>. Secret.</summary>
    public ReadOnlySpan<byte> Y => _y;

    /// <summary>Reads a share written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="RecoveryFormatException">The bytes are not a version 1 share.</exception>
    public static RecoveryShare Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new RecoveryFormatException($"A recovery share is {Size} bytes, not {bytes.Length}.");
        }

        RecoveryFormat.RequireHeader(bytes, Magic, Version, "a recovery share");
        if (bytes[7] != 0)
        {
            throw new RecoveryFormatException("A recovery share's reserved byte 7 is not zero.");
        }

        if (bytes[5] == 0 || bytes[6] == 0)
        {
            throw new RecoveryFormatException("A recovery share's threshold and x are at least 1.");
        }

        return new RecoveryShare(new DealId(bytes.Slice(8, DealId.Size)), bytes[5], bytes[6], bytes[24..]);
    }

    /// <summary>The share in its version 1 layout, <see cref="Size"/> bytes. The caller should zero them when done.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        Magic.CopyTo(bytes);
        bytes[4] = Version;
        bytes[5] = Threshold;
        bytes[6] = X;
        DealId.WriteTo(bytes.AsSpan(8, DealId.Size));
        _y.CopyTo(bytes, 24);
        return bytes;
    }

    /// <summary>Zeroes the share's value, for callers that are done with it.</summary>
    public void Clear() => CryptographicOperations.ZeroMemory(_y);
}
