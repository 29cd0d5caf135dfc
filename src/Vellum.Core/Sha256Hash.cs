using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Vellum.Core;

/// <summary>
/// A 32-byte SHA-256 digest held by value, so that Merkle nodes, leaves and digests move through
/// hot paths without allocating.
/// </summary>
public readonly struct Sha256Hash : IEquatable<Sha256Hash>
{
    /// <summary>The length of a digest in bytes.</summary>
    public const int Size = 32;

    private readonly Bytes32 _bytes;

    /// <summary>Copies a digest from exactly <see cref="Size"/> bytes.</summary>
    public Sha256Hash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A SHA-256 digest is {Size} bytes, not {bytes.Length}.", nameof(bytes));
        }

        bytes.CopyTo(_bytes);
    }

    /// <summary>The all-zero digest: CCF's leaf 0 and the claims digest of an entry without claims.</summary>
    public static Sha256Hash Zero => default;

    /// <summary>The digest's bytes.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static Sha256Hash Of(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        Sha256.Hash(data, digest);
        return new Sha256Hash(digest);
    }

    /// <summary>SHA-256 of <paramref name="left"/> followed by <paramref name="right"/>: a Merkle interior node.</summary>
    public static Sha256Hash OfPair(in Sha256Hash left, in Sha256Hash right)
    {
        Span<byte> digest = stackalloc byte[Size];
        Sha256.Hash(left.Bytes, right.Bytes, default, digest);
        return new Sha256Hash(digest);
    }

    /// <summary>SHA-256 of three digests in a row, as a Merkle leaf is made of its components.</summary>
    public static Sha256Hash OfThree(in Sha256Hash first, in Sha256Hash second, in Sha256Hash third)
    {
        Span<byte> digest = stackalloc byte[Size];
        Sha256.Hash(first.Bytes, second.Bytes, third.Bytes, digest);
        return new Sha256Hash(digest);
    }

    /// <summary>Parses 64 hexadecimal characters (either case).</summary>
    /// <exception cref="FormatException">The text is not 64 hexadecimal characters.</exception>
    public static Sha256Hash ParseHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryParseHex(hex, out var hash))
        {
            throw new FormatException($"Expected a SHA-256 digest as 64 hexadecimal characters, got \"{Truncate(hex)}\".");
        }

        return hash;
    }

    /// <summary>Parses 64 hexadecimal characters (either case), reporting failure instead of throwing.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> hex, out Sha256Hash hash)
    {
        hash = default;
        Span<byte> bytes = stackalloc byte[Size];
        if (hex.Length != 2 * Size
            || Convert.FromHexString(hex, bytes, out _, out var written) != OperationStatus.Done
            || written != Size)
        {
            return false;
        }

        hash = new Sha256Hash(bytes);
        return true;
    }

    /// <summary>Lowercase hexadecimal, the form ACL receipts use.</summary>
    public string ToHex() => Convert.ToHexStringLower(Bytes);

    /// <inheritdoc />
    public override string ToString() => ToHex();

    /// <inheritdoc />
    public bool Equals(Sha256Hash other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Sha256Hash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    /// <summary>Digest equality.</summary>
    public static bool operator ==(Sha256Hash left, Sha256Hash right) => left.Equals(right);

    /// <summary>Digest inequality.</summary>
    public static bool operator !=(Sha256Hash left, Sha256Hash right) => !left.Equals(right);

    /// <summary>Writes the digest's bytes into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    [InlineArray(Size)]
    private struct Bytes32
    {
        private byte _element0;
    }
}
