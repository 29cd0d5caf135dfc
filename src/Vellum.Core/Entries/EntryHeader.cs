namespace Vellum.Core.Entries;

/// <summary>
/// The fixed-size part that starts every ledger entry. It carries what the Merkle leaf needs
/// besides the entry's own digest, so a leaf is recomputable from the stored bytes alone.
/// </summary>
/// <param name="Kind">What the entry records.</param>
/// <param name="Id">The entry's transaction id.</param>
/// <param name="CommitEvidenceDigest">SHA-256 of the entry's commit evidence string.</param>
/// <param name="ClaimsDigest">The application claims digest, or zero when the entry has no claims.</param>
public readonly record struct EntryHeader(
    EntryKind Kind,
    TransactionId Id,
    Sha256Hash CommitEvidenceDigest,
    Sha256Hash ClaimsDigest)
{
    /// <summary>The entry format version this code writes and reads.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The header's size in bytes.</summary>
    public const int Size = 88;

    internal const int KindOffset = 1;
    internal const int FlagsOffset = 2;
    internal const int ReservedOffset = 4;
    internal const int ViewOffset = 8;
    internal const int SeqnoOffset = 16;
    internal const int CommitEvidenceDigestOffset = 24;
    internal const int ClaimsDigestOffset = 56;

    /// <summary>
    /// The Merkle leaf of the entry whose stored bytes hash to <paramref name="writeSetDigest"/>:
    /// <c>SHA-256(writeSetDigest ‖ commitEvidenceDigest ‖ claimsDigest)</c>.
    /// </summary>
    public Sha256Hash Leaf(in Sha256Hash writeSetDigest) => LeafOf(writeSetDigest, CommitEvidenceDigest, ClaimsDigest);

    /// <summary>The Merkle leaf from its three components (DESIGN.md, "Formats we must match").</summary>
    public static Sha256Hash LeafOf(in Sha256Hash writeSetDigest, in Sha256Hash commitEvidenceDigest, in Sha256Hash claimsDigest)
        => Sha256Hash.OfThree(writeSetDigest, commitEvidenceDigest, claimsDigest);
}
