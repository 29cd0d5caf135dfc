namespace Vellum.Core.Receipts;

/// <summary>
/// The three values a receipt's Merkle leaf is computed from (ACL's <c>leafComponents</c>).
/// </summary>
/// <param name="WriteSetDigest">SHA-256 of the entry exactly as stored in the ledger.</param>
/// <param name="CommitEvidence">
/// The commit evidence text, kept as a string because the leaf hashes the exact text a receipt
/// carries; <see cref="Core.CommitEvidence.TryParse(ReadOnlySpan{char}, out Core.CommitEvidence, out string?)"/> checks its form.
/// </param>
/// <param name="ClaimsDigest">The claims digest, or <see cref="Sha256Hash.Zero"/> when the entry has no claims.</param>
public sealed record LeafComponents(Sha256Hash WriteSetDigest, string CommitEvidence, Sha256Hash ClaimsDigest)
{
    /// <summary>Creates leaf components from typed commit evidence.</summary>
    public LeafComponents(Sha256Hash writeSetDigest, Core.CommitEvidence commitEvidence, Sha256Hash claimsDigest)
        : this(writeSetDigest, commitEvidence.ToString(), claimsDigest)
    {
    }

    /// <summary>The commit evidence text; never null.</summary>
    public string CommitEvidence { get; init; } = CommitEvidence ?? throw new ArgumentNullException(nameof(CommitEvidence));

    /// <summary>
    /// The Merkle leaf <c>SHA-256(writeSetDigest ‖ SHA-256(utf8(commitEvidence)) ‖ claimsDigest)</c>,
    /// with no domain-separation byte, as in CCF.
    /// </summary>
    public Sha256Hash Leaf()
    {
        var evidenceDigest = Core.CommitEvidence.DigestOf(CommitEvidence);
        Span<byte> buffer = stackalloc byte[3 * Sha256Hash.Size];
        WriteSetDigest.CopyTo(buffer);
        evidenceDigest.CopyTo(buffer[Sha256Hash.Size..]);
        ClaimsDigest.CopyTo(buffer[(2 * Sha256Hash.Size)..]);
        return Sha256Hash.Of(buffer);
    }
}
