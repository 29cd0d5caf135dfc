using System.Globalization;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Core.TreeHeads;

namespace Vellum.Node.Api;

/// <summary>
/// Finds the committed signed tree heads the tree routes serve: the latest, or the one at a
/// given tree size, which must be the seqno of a committed signature transaction. Committed means
/// at or before the request's <see cref="ReadPoint"/>, taken before the ledger is read.
/// </summary>
internal static class SignedHeadLookup
{
    /// <summary>The head of the last signature transaction committed at <paramref name="readPoint"/>.</summary>
    public static SignedTreeHead Latest(NodeContext node, TransactionId readPoint)
    {
        var seqno = node.Ledger.LastSignatureAtOrBefore(readPoint.Seqno);
        return seqno == 0
            ? throw ApiException.NotFound(ErrorCodes.TreeHeadNotFound, "The ledger has no committed signature transaction yet, so no signed tree head.")
            : At(node, readPoint, seqno, expectedView: null);
    }

    /// <summary>
    /// The head of tree size <paramref name="treeSize"/>, committed at <paramref name="readPoint"/>;
    /// with <paramref name="expectedView"/>, its transaction must be in that view, as for a
    /// transaction id named in full.
    /// </summary>
    public static SignedTreeHead At(NodeContext node, TransactionId readPoint, long treeSize, long? expectedView)
    {
        var last = node.Ledger.LastSeqno;
        if (treeSize > last)
        {
            throw ApiException.NotFound(ErrorCodes.TreeHeadNotFound, $"There is no signed tree head of size {treeSize}: the ledger's last seqno is {last}.");
        }

        var entry = node.Ledger.ReadEntry(treeSize);
        var header = EntryCodec.ReadHeader(entry);
        if (expectedView is { } view && header.Id.View != view)
        {
            throw ApiException.NotFound(ErrorCodes.TreeHeadNotFound, $"There is no transaction {view}.{treeSize}: seqno {treeSize} is transaction {header.Id}.");
        }

        if (header.Kind != EntryKind.Signature)
        {
            throw ApiException.NotFound(
                ErrorCodes.TreeHeadNotFound,
                $"Tree size {treeSize} is not a signed tree head: transaction {header.Id} is not a signature transaction. {Nearest(node, readPoint.Seqno, treeSize)}");
        }

        if (treeSize > readPoint.Seqno)
        {
            throw ApiException.NotFound(
                ErrorCodes.TreeHeadNotCommitted,
                $"The signed tree head of size {treeSize} is not committed yet (the last committed transaction is {readPoint}); ask again once it is.");
        }

        return Build(node, EntryCodec.ReadSignature(entry));
    }

    /// <summary>A tree size from a query parameter, spelt as a seqno is: a whole number, at least 1, without a leading zero.</summary>
    public static long ParseTreeSize(string text, string name) =>
        TransactionId.TryParsePart(text, out var size, out var problem)
            ? size
            : throw ApiException.BadRequest(ErrorCodes.InvalidQueryParameter, $"The query parameter {name} must be a tree size (a whole number, at least 1, without a leading zero): \"{Shorten(text)}\" {problem}.");

    private static SignedTreeHead Build(NodeContext node, SignatureEntry signature)
    {
        var signer = SigningNode.Of(signature.NodeCertificateDer);
        return new SignedTreeHead(
            signature.Header.Id,
            signature.Root,
            signature.Signature,
            signer.CertificatePem,
            signer.NodeId,
            node.Services.EndorsementsFor(signature.Header.Id.Seqno));
    }

    // Names the signed sizes either side, so that a caller who guessed a size learns real ones.
    private static string Nearest(NodeContext node, long committed, long treeSize)
    {
        var before = node.Ledger.LastSignatureAtOrBefore(Math.Min(treeSize, committed));
        var after = node.Ledger.FindSignatureAtOrAfter(treeSize)?.TreeSize;
        var sizes = new List<string>();
        if (before > 0)
        {
            sizes.Add(before.ToString(CultureInfo.InvariantCulture));
        }

        if (after is { } next && next <= committed)
        {
            sizes.Add(next.ToString(CultureInfo.InvariantCulture));
        }

        return sizes.Count == 0
            ? "No committed signature transaction is near it."
            : $"The nearest committed signed heads are of tree size {string.Join(" and ", sizes)}.";
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
