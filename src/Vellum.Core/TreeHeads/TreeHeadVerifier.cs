using Vellum.Core.Identity;
using Vellum.Core.Merkle;

namespace Vellum.Core.TreeHeads;

/// <summary>
/// Verifies signed tree heads and consistency proofs offline, against a service certificate the
/// caller obtained out of band. A head is checked exactly as a receipt's signature is (the node
/// certificate, its endorsements up to the service certificate, the node id, the signature over
/// the root); a proof with RFC 9162's algorithm. Check failures are returned, never thrown: the
/// input is untrusted by design.
/// </summary>
public static class TreeHeadVerifier
{
    /// <summary>Verifies that a node of the service signed <paramref name="head"/>'s root.</summary>
    /// <param name="head">The head to check.</param>
    /// <param name="serviceCertificatePem">The trusted service certificate (the ledger identity's <c>ledgerTlsCertificate</c>), PEM.</param>
    public static TreeHeadVerificationResult Verify(SignedTreeHead head, string serviceCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(serviceCertificatePem);
        var failure = SignedRootVerifier.Verify(head.Cert, head.ServiceEndorsements, head.NodeId, head.Root, head.Signature, serviceCertificatePem);
        return failure is null ? TreeHeadVerificationResult.Valid : TreeHeadVerificationResult.Failure(ToCheck(failure.Check), failure.Reason);
    }

    /// <summary>
    /// Verifies both heads against the service certificate, then that <paramref name="proof"/>
    /// shows the tree of <paramref name="newer"/> to have the tree of <paramref name="older"/> as
    /// its prefix: the ledger only grew between them.
    /// </summary>
    /// <param name="older">The earlier head.</param>
    /// <param name="newer">The later head.</param>
    /// <param name="proof">The consistency proof's hashes, RFC 9162 order.</param>
    /// <param name="serviceCertificatePem">The trusted service certificate, PEM.</param>
    public static TreeHeadVerificationResult VerifyConsistency(SignedTreeHead older, SignedTreeHead newer, IReadOnlyList<Sha256Hash> proof, string serviceCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(older);
        var olderResult = Verify(older, serviceCertificatePem);
        if (!olderResult.IsValid)
        {
            return TreeHeadVerificationResult.Failure(olderResult.FailedCheck, $"the earlier head, {older}: {olderResult.Reason}");
        }

        return VerifyExtension(older, newer, proof, serviceCertificatePem);
    }

    /// <summary>
    /// Verifies <paramref name="newer"/> against the service certificate and that
    /// <paramref name="proof"/> leads from <paramref name="trusted"/>'s root to it, without
    /// checking <paramref name="trusted"/>'s signature again: for a monitor that verified it
    /// earlier, perhaps against the certificate of a service since replaced by a recovery.
    /// </summary>
    /// <param name="trusted">A head verified earlier; only its tree size and root are used.</param>
    /// <param name="newer">The later head.</param>
    /// <param name="proof">The consistency proof's hashes, RFC 9162 order.</param>
    /// <param name="serviceCertificatePem">The trusted service certificate, PEM.</param>
    public static TreeHeadVerificationResult VerifyExtension(SignedTreeHead trusted, SignedTreeHead newer, IReadOnlyList<Sha256Hash> proof, string serviceCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        ArgumentNullException.ThrowIfNull(newer);
        ArgumentNullException.ThrowIfNull(proof);
        var newerResult = Verify(newer, serviceCertificatePem);
        if (!newerResult.IsValid)
        {
            return TreeHeadVerificationResult.Failure(newerResult.FailedCheck, $"the later head, {newer}: {newerResult.Reason}");
        }

        return VerifyProof(trusted, newer, proof);
    }

    /// <summary>
    /// Checks only the Merkle part: that <paramref name="proof"/> leads from <paramref name="older"/>'s
    /// root to <paramref name="newer"/>'s. Neither signature is checked.
    /// </summary>
    public static TreeHeadVerificationResult VerifyProof(SignedTreeHead older, SignedTreeHead newer, IReadOnlyList<Sha256Hash> proof)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        ArgumentNullException.ThrowIfNull(proof);
        if (newer.TreeSize < older.TreeSize)
        {
            return TreeHeadVerificationResult.Failure(TreeHeadCheck.TreeShrank, $"the tree shrank from {older} to {newer}");
        }

        if (newer.TreeSize == older.TreeSize && newer.Root != older.Root)
        {
            return TreeHeadVerificationResult.Failure(TreeHeadCheck.Consistency, $"two heads of tree size {older.TreeSize} have different roots, {older.Root} and {newer.Root}: the ledger was rewritten");
        }

        if (!new ConsistencyProof(older.TreeSize, newer.TreeSize, proof).Verify(older.Root, newer.Root))
        {
            return TreeHeadVerificationResult.Failure(
                TreeHeadCheck.Consistency,
                $"the consistency proof ({proof.Count} hashes) does not lead from {older} to {newer}: the later tree does not extend the earlier one");
        }

        return TreeHeadVerificationResult.Valid;
    }

    private static TreeHeadCheck ToCheck(SignedRootCheck check) => check switch
    {
        SignedRootCheck.NodeCertificate => TreeHeadCheck.NodeCertificate,
        SignedRootCheck.ServiceCertificate => TreeHeadCheck.ServiceCertificate,
        SignedRootCheck.Endorsements => TreeHeadCheck.Endorsements,
        SignedRootCheck.NodeId => TreeHeadCheck.NodeId,
        _ => TreeHeadCheck.Signature,
    };
}
