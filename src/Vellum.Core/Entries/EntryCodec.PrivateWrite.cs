using System.Buffers.Binary;

namespace Vellum.Core.Entries;

/// <summary>The layout of private writes (kind 3); sealing and opening is <c>EntryCipher</c>'s.</summary>
public static partial class EntryCodec
{
    /// <summary>The size of the AES-GCM authentication tag that ends a private write.</summary>
    public const int SealTagBytes = 16;

    /// <summary>The size of the claim secret sealed before a private write's contents.</summary>
    public const int SealedClaimSecretBytes = 32;

    /// <summary>The highest ledger secret version an entry may name.</summary>
    public const int MaxSecretVersion = int.MaxValue;

    /// <summary>The encoded size of a private write: a public write's, plus the secret version, the claim secret and the tag.</summary>
    /// <exception cref="ArgumentException">The collection id or a tag is empty, too long or not valid Unicode.</exception>
    public static int GetPrivateWriteSize(string collectionId, IReadOnlyList<string> tags, int contentsBytes)
        => GetWriteSize(collectionId, tags, contentsBytes) + 4 + SealedClaimSecretBytes + SealTagBytes;

    /// <summary>
    /// Lays out a private write in <paramref name="destination"/> (exactly <see cref="GetPrivateWriteSize"/>
    /// bytes) with its plaintext in place; returns the length of the authenticated prefix, which
    /// the plaintext follows, and leaves the last <see cref="SealTagBytes"/> for the tag. The
    /// caller encrypts the plaintext in place.
    /// </summary>
    internal static int LayOutPrivateWrite(
        Span<byte> destination, in EntryHeader header, string collectionId, IReadOnlyList<string> tags, int secretVersion, ReadOnlySpan<byte> claimSecret, ReadOnlySpan<byte> contentsUtf8)
    {
        CheckWriteArguments(header, tags, contentsUtf8, EntryKind.PrivateWrite);
        ArgumentOutOfRangeException.ThrowIfNegative(secretVersion);
        ArgumentOutOfRangeException.ThrowIfNotEqual(claimSecret.Length, SealedClaimSecretBytes, nameof(claimSecret));
        if (destination.Length != GetPrivateWriteSize(collectionId, tags, contentsUtf8.Length))
        {
            throw new ArgumentException("The destination must be exactly the entry's encoded size.", nameof(destination));
        }

        var body = WriteCollectionAndTags(destination, header, collectionId, tags);
        BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)secretVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], (uint)(SealedClaimSecretBytes + contentsUtf8.Length));
        var authenticated = destination.Length - body.Length + 8;
        claimSecret.CopyTo(destination[authenticated..]);
        contentsUtf8.CopyTo(destination[(authenticated + SealedClaimSecretBytes)..]);
        destination[^SealTagBytes..].Clear();
        return authenticated;
    }

    /// <summary>Reads the sealed part of a private write, after its tags.</summary>
    private static WriteEntryView ReadSealed(scoped ref FieldReader reader, EntryHeader header, ReadOnlySpan<byte> collectionId, ReadOnlySpan<byte> tagBlock, int tagCount)
    {
        var secretVersion = reader.UInt32();
        var plaintextBytes = reader.UInt32();
        if (plaintextBytes < SealedClaimSecretBytes || plaintextBytes - SealedClaimSecretBytes > MaxContentsBytes)
        {
            throw new EntryFormatException($"A private write seals a claim secret and at most {MaxContentsBytes} bytes of contents, not {plaintextBytes} bytes.");
        }

        var authenticated = EntryHeader.Size + reader.Position;
        var sealedPart = reader.Take(plaintextBytes + SealTagBytes, "sealed contents");
        return new WriteEntryView(header, collectionId, tagBlock, tagCount, default, new SealedPart(secretVersion, authenticated, sealedPart));
    }
}
