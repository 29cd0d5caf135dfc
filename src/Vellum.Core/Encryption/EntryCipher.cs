using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vellum.Core.Claims;
using Vellum.Core.Entries;

namespace Vellum.Core.Encryption;

/// <summary>
/// Seals and opens private writes under one ledger secret with AES-256-GCM. The key is
/// <c>HKDF-SHA256(ikm = ledger secret, salt = none, info = "Vellum ledger entry key v1")</c>, so
/// the secret itself stays free for other derived keys (wrapping its predecessor on rotation)
/// without one key serving two purposes. The 12-byte IV is the entry's seqno and view
/// (<see cref="DeriveIv"/>); the additional data is every byte of the entry before the
/// ciphertext, so neither ciphertext nor tag can be moved to another entry, collection or tags.
/// </summary>
/// <remarks>
/// AES-GCM objects are not documented as safe to share between threads, so each use takes a
/// lock; sealing runs on the sequencer's single thread and opening is per read.
/// </remarks>
public sealed class EntryCipher : IDisposable
{
    /// <summary>The HKDF info the entry key is derived with.</summary>
    public const string KeyLabel = "Vellum ledger entry key v1";

    /// <summary>The size of an IV.</summary>
    public const int IvBytes = 12;

    /// <summary>The largest view an IV can carry: the top bit of its last byte is kept for snapshots.</summary>
    public const long MaxView = 0x7FFF_FFFF;

    private readonly AesGcm _aes;
    private readonly Lock _gate = new();

    /// <summary>Derives the entry key of <paramref name="secret"/>.</summary>
    public EntryCipher(LedgerSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Version = secret.Version;
        StartSeqno = secret.StartSeqno;
        Span<byte> key = stackalloc byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret.Secret, key, [], Encoding.ASCII.GetBytes(KeyLabel));
        _aes = new AesGcm(key, EntryCodec.SealTagBytes);
        CryptographicOperations.ZeroMemory(key);
        ClaimSecrets = ClaimSecretDeriver.ForLedgerSecret(secret.Secret);
    }

    /// <summary>Derives the claim secrets of the private writes this secret seals.</summary>
    public ClaimSecretDeriver ClaimSecrets { get; }

    /// <summary>The version of the secret this cipher uses.</summary>
    public int Version { get; }

    /// <summary>The first seqno the secret seals.</summary>
    public long StartSeqno { get; }

    /// <summary>
    /// The IV of entry <paramref name="id"/>: bytes 0–7 the seqno (u64, little-endian), bytes 8–11
    /// the view (u32, little-endian, at most <see cref="MaxView"/>). One primary writes a seqno
    /// at most once in a view, and a rolled-back seqno is written again only in a later view, so
    /// no IV repeats under one key.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The view exceeds <see cref="MaxView"/> or the id is not valid.</exception>
    public static void DeriveIv(TransactionId id, Span<byte> iv)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(id.Seqno, 1, nameof(id));
        ArgumentOutOfRangeException.ThrowIfLessThan(id.View, 1, nameof(id));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id.View, MaxView, nameof(id));
        ArgumentOutOfRangeException.ThrowIfNotEqual(iv.Length, IvBytes, nameof(iv));
        BinaryPrimitives.WriteUInt64LittleEndian(iv, (ulong)id.Seqno);
        BinaryPrimitives.WriteUInt32LittleEndian(iv[8..], (uint)id.View);
    }

    /// <summary>Encodes and seals a private write into a new array.</summary>
    /// <exception cref="ArgumentException">An argument breaks the format's limits, or the header is not of kind <see cref="EntryKind.PrivateWrite"/>.</exception>
    public byte[] Seal(in EntryHeader header, string collectionId, IReadOnlyList<string> tags, ReadOnlySpan<byte> claimSecret, ReadOnlySpan<byte> contentsUtf8)
    {
        var entry = new byte[EntryCodec.GetPrivateWriteSize(collectionId, tags, contentsUtf8.Length)];
        Seal(entry, header, collectionId, tags, claimSecret, contentsUtf8);
        return entry;
    }

    /// <summary>Encodes and seals a private write into <paramref name="destination"/>, exactly <see cref="EntryCodec.GetPrivateWriteSize"/> bytes.</summary>
    /// <exception cref="ArgumentException">An argument breaks the format's limits, or the header is not of kind <see cref="EntryKind.PrivateWrite"/>.</exception>
    public void Seal(Span<byte> destination, in EntryHeader header, string collectionId, IReadOnlyList<string> tags, ReadOnlySpan<byte> claimSecret, ReadOnlySpan<byte> contentsUtf8)
    {
        Invariant.Check(header.Id.Seqno >= StartSeqno, "an entry is sealed under a secret in force at its seqno");
        var authenticated = EntryCodec.LayOutPrivateWrite(destination, header, collectionId, tags, Version, claimSecret, contentsUtf8);
        Span<byte> iv = stackalloc byte[IvBytes];
        DeriveIv(header.Id, iv);
        var plaintext = destination[authenticated..^EntryCodec.SealTagBytes];
        lock (_gate)
        {
            _aes.Encrypt(iv, plaintext, plaintext, destination[^EntryCodec.SealTagBytes..], destination[..authenticated]);
        }
    }

    /// <summary>Validates and opens a private write sealed under this cipher's secret.</summary>
    /// <exception cref="EntryFormatException">The bytes are not a well-formed private write.</exception>
    /// <exception cref="EntryDecryptionException">The entry names another secret, or its tag does not verify: it was modified.</exception>
    public OpenedWrite Open(ReadOnlySpan<byte> entry)
    {
        var view = EntryCodec.ReadWrite(entry);
        var id = view.Header.Id;
        if (!view.IsPrivate)
        {
            throw new EntryFormatException($"Entry {id} is a public write; only private writes are opened.");
        }

        var sealedPart = view.Sealed;
        if (sealedPart.SecretVersion != Version || id.Seqno < StartSeqno)
        {
            throw new EntryDecryptionException(id, $"it names ledger secret version {sealedPart.SecretVersion}, but this cipher holds version {Version}, in force from seqno {StartSeqno}.");
        }

        if (id.View > MaxView)
        {
            throw new EntryDecryptionException(id, $"its view exceeds {MaxView}, so no IV was ever derived for it.");
        }

        Span<byte> iv = stackalloc byte[IvBytes];
        DeriveIv(id, iv);
        var plaintext = new byte[sealedPart.Sealed.Length - EntryCodec.SealTagBytes];
        try
        {
            lock (_gate)
            {
                _aes.Decrypt(iv, sealedPart.Sealed[..plaintext.Length], sealedPart.Sealed[plaintext.Length..], plaintext, entry[..sealedPart.AuthenticatedBytes]);
            }
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new EntryDecryptionException(id, "its authentication tag does not verify; the entry was modified.", exception);
        }

        return Decode(view, plaintext);
    }

    private static OpenedWrite Decode(WriteEntryView view, byte[] plaintext)
    {
        var contents = plaintext.AsSpan(EntryCodec.SealedClaimSecretBytes);
        if (!System.Text.Unicode.Utf8.IsValid(contents))
        {
            // The tag verified, so the writer sealed invalid text: a bug, not tampering.
            throw new EntryFormatException($"Private entry {view.Header.Id} seals contents that are not valid UTF-8.");
        }

        var tags = new List<string>(view.TagCount);
        foreach (var tag in view.Tags)
        {
            tags.Add(Encoding.UTF8.GetString(tag));
        }

        var write = new WriteEntry(view.Header, Encoding.UTF8.GetString(view.CollectionId), tags, Encoding.UTF8.GetString(contents));
        var claimSecret = plaintext[..EntryCodec.SealedClaimSecretBytes];
        CryptographicOperations.ZeroMemory(plaintext);
        return new OpenedWrite(write, claimSecret);
    }

    /// <summary>Releases the AES key and zeroes the claim key.</summary>
    public void Dispose()
    {
        _aes.Dispose();
        ClaimSecrets.Dispose();
    }
}
