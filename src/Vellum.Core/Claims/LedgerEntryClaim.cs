using System.Security.Cryptography;
using System.Text;

namespace Vellum.Core.Claims;

/// <summary>
/// ACL's <c>LedgerEntry</c> claim with protocol <c>LedgerEntryV1</c>: the entry's collection id and
/// contents, and the per-entry secret key that binds them to the receipt without revealing them
/// to anyone who holds only the claims digest.
/// </summary>
public sealed class LedgerEntryClaim : ApplicationClaim
{
    /// <summary>The claim's <c>kind</c> on the wire.</summary>
    public const string KindName = "LedgerEntry";

    /// <summary>The only protocol ACL defines for ledger-entry claims.</summary>
    public const string ProtocolV1 = "LedgerEntryV1";

    /// <summary>The length of the secret key in bytes.</summary>
    public const int SecretKeyBytes = 32;

    private readonly byte[] _secretKey;

    /// <summary>Creates a claim; the secret key is copied.</summary>
    /// <exception cref="ArgumentException">The secret key is not <see cref="SecretKeyBytes"/> bytes.</exception>
    public LedgerEntryClaim(string collectionId, string contents, ReadOnlySpan<byte> secretKey)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(contents);
        if (secretKey.Length != SecretKeyBytes)
        {
            throw new ArgumentException($"A LedgerEntryV1 secret key is {SecretKeyBytes} bytes, not {secretKey.Length}.", nameof(secretKey));
        }

        CollectionId = collectionId;
        Contents = contents;
        _secretKey = secretKey.ToArray();
    }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override string Protocol => ProtocolV1;

    /// <summary>The collection the entry was written to, such as <c>subledger:0</c>.</summary>
    public string CollectionId { get; }

    /// <summary>The entry's contents.</summary>
    public string Contents { get; }

    /// <summary>The per-entry HMAC key.</summary>
    public ReadOnlySpan<byte> SecretKey => _secretKey;

    /// <summary>
    /// The entry digest <c>d = SHA-256(HMAC-SHA256(k, utf8(collectionId)) ‖ HMAC-SHA256(k, utf8(contents)))</c>.
    /// </summary>
    public Sha256Hash ComputeEntryDigest()
        => EntryDigestOf(_secretKey, Encoding.UTF8.GetBytes(CollectionId), Encoding.UTF8.GetBytes(Contents));

    /// <summary>
    /// The claims digest of an entry whose only claim is a LedgerEntryV1 claim over these UTF-8
    /// bytes: what a writer stores in the entry header, computed without building the claim.
    /// </summary>
    /// <exception cref="ArgumentException">The secret key is not <see cref="SecretKeyBytes"/> bytes.</exception>
    public static Sha256Hash ComputeSingleClaimsDigest(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> collectionIdUtf8, ReadOnlySpan<byte> contentsUtf8)
    {
        if (secretKey.Length != SecretKeyBytes)
        {
            throw new ArgumentException($"A LedgerEntryV1 secret key is {SecretKeyBytes} bytes, not {secretKey.Length}.", nameof(secretKey));
        }

        var claimDigest = DigestClaim.ComputeClaimDigest(ProtocolV1, EntryDigestOf(secretKey, collectionIdUtf8, contentsUtf8));
        return ClaimsDigest.ComputeSingle(claimDigest);
    }

    private static Sha256Hash EntryDigestOf(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> collectionIdUtf8, ReadOnlySpan<byte> contentsUtf8)
    {
        // Both HMACs are under one key: it is prepared once.
        Span<byte> key = stackalloc byte[Sha256.HmacStateBytes];
        Sha256.PrepareHmac(secretKey, key);
        Span<byte> macs = stackalloc byte[2 * Sha256Hash.Size];
        Sha256.FinishHmac(key, collectionIdUtf8, macs[..Sha256Hash.Size]);
        Sha256.FinishHmac(key, contentsUtf8, macs[Sha256Hash.Size..]);
        CryptographicOperations.ZeroMemory(key);
        return Sha256Hash.Of(macs);
    }

    /// <inheritdoc />
    public override Sha256Hash ComputeClaimDigest() => DigestClaim.ComputeClaimDigest(Protocol, ComputeEntryDigest());

    /// <summary>
    /// The equivalent <c>ClaimDigest</c> claim, which has the same claim digest but reveals neither
    /// the contents nor the key: what a writer hands out to share a receipt selectively.
    /// </summary>
    public DigestClaim ToDigestClaim() => new(Protocol, ComputeEntryDigest());
}
