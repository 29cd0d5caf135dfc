using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Core.Receipts;

namespace Vellum.Node.Api;

/// <summary>
/// Builds the receipt of a committed transaction: its leaf components, the inclusion proof up to
/// the first signature after it, that signature with the certificate of the node that made it,
/// and for a write its <c>LedgerEntryV1</c> application claim.
/// </summary>
internal static class ReceiptBuilder
{
    /// <summary>
    /// The receipt of transaction <paramref name="id"/>, committed at <paramref name="readPoint"/>
    /// (the request's <see cref="ReadPoint"/>), or null while no signature committed there follows
    /// it: the case of that last committed signature transaction itself, which the next signature
    /// will cover.
    /// </summary>
    public static TransactionReceipt? Build(NodeContext node, TransactionId readPoint, TransactionId id, byte[] entry, in EntryHeader header)
    {
        var signature = node.Ledger.FindSignatureAtOrAfter(id.Seqno + 1);
        if (signature is null || signature.Header.Id.Seqno > readPoint.Seqno)
        {
            Invariant.Check(header.Kind == EntryKind.Signature, "a committed write has a committed signature after it");
            return null;
        }
        var proof = node.Ledger.ProveInclusion(id.Seqno, signature.TreeSize);
        var leafComponents = new LeafComponents(Sha256Hash.Of(entry), node.Evidence.Derive(id), header.ClaimsDigest);
        var signer = SigningNode.Of(signature.NodeCertificateDer);
        var receipt = new Receipt(
            leafComponents,
            proof.Steps,
            signature.Signature,
            signer.CertificatePem,
            signer.NodeId,
            node.Services.EndorsementsFor(signature.Header.Id.Seqno));
        return new TransactionReceipt(id, receipt, Claims(node, id, entry, header));
    }

    private static ApplicationClaim[] Claims(NodeContext node, TransactionId id, byte[] entry, in EntryHeader header)
    {
        if (header.Kind == EntryKind.Signature)
        {
            return [];
        }

        // A private write carries its claim secret sealed with its contents, so its receipt needs
        // only the ledger secret; a public write's secret is derived from the service secret.
        var (write, sealedSecret) = StoredWrites.Open(node, entry);
        Span<byte> secret = stackalloc byte[LedgerEntryClaim.SecretKeyBytes];
        if (sealedSecret is null)
        {
            node.ClaimSecrets.Derive(id, secret);
        }
        else
        {
            sealedSecret.CopyTo(secret);
        }

        var claim = new LedgerEntryClaim(write.CollectionId, write.Contents, secret);
        Invariant.Check(ClaimsDigest.Compute([claim]) == header.ClaimsDigest, "the derived claim matches the claims digest the entry was written with");
        return [claim];
    }
}
