using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Core.TreeHeads;
using Vellum.Node.Access;
using Vellum.Node.Authentication;

namespace Vellum.Node.Api;

/// <summary>
/// Signed tree heads and consistency proofs between them, so that a monitor can prove the ledger
/// only grew. Whoever may read receipts may read these: a head is the signed part of a receipt.
/// </summary>
internal static class TreeRoutes
{
    public static void Map(IEndpointRouteBuilder routes, NodeContext node)
    {
        routes.MapGet("/app/tree/head", context => HeadAsync(context, node)).RequiresAction(LedgerActions.ReceiptsRead);
        routes.MapGet("/app/tree/consistency", context => ConsistencyAsync(context, node)).RequiresAction(LedgerActions.ReceiptsRead);
    }

    private static async Task HeadAsync(HttpContext context, NodeContext node)
    {
        var treeSizeText = RequestReading.OptionalQuery(context, "treeSize");
        var atText = RequestReading.OptionalQuery(context, "at");
        if (treeSizeText is not null && atText is not null)
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidQueryParameter, "Name a signed tree head by treeSize or by at, not both.");
        }

        var readPoint = ReadPoint.Take(context, node.Commits);
        SignedTreeHead head;
        if (treeSizeText is not null)
        {
            head = SignedHeadLookup.At(node, readPoint, SignedHeadLookup.ParseTreeSize(treeSizeText, "treeSize"), expectedView: null);
        }
        else if (atText is not null)
        {
            var id = TransactionLookup.Parse(atText, "signature transaction id (at)");
            head = SignedHeadLookup.At(node, readPoint, id.Seqno, id.View);
        }
        else
        {
            head = SignedHeadLookup.Latest(node, readPoint);
        }

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, head, static (writer, head) => head.WriteTo(writer));
    }

    private static async Task ConsistencyAsync(HttpContext context, NodeContext node)
    {
        var from = SignedHeadLookup.ParseTreeSize(RequiredQuery(context, "from"), "from");
        var to = SignedHeadLookup.ParseTreeSize(RequiredQuery(context, "to"), "to");
        if (from > to)
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidQueryParameter, $"A consistency proof goes from a smaller tree to a larger one: from ({from}) is larger than to ({to}).");
        }

        // Both heads are looked up at one read point: read twice, commit could move between them.
        var readPoint = ReadPoint.Take(context, node.Commits);
        var older = SignedHeadLookup.At(node, readPoint, from, expectedView: null);
        var newer = SignedHeadLookup.At(node, readPoint, to, expectedView: null);
        var proof = node.Ledger.ProveConsistency(from, to);
        Vellum.Core.Invariant.Check(proof.Verify(older.Root, newer.Root), "the ledger's tree leads from each signed root to every later one");
        var consistency = new TreeConsistency(older, newer, proof.Nodes);
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, consistency, static (writer, consistency) => consistency.WriteTo(writer));
    }

    private static string RequiredQuery(HttpContext context, string name) =>
        RequestReading.OptionalQuery(context, name)
            ?? throw ApiException.BadRequest(ErrorCodes.InvalidQueryParameter, $"The query parameter {name} is required: the tree size of a committed signed tree head.");
}
