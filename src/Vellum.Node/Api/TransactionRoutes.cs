using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Receipts;
using Vellum.Node.Access;
using Vellum.Node.Authentication;

namespace Vellum.Node.Api;

/// <summary>The ledger entry routes: append, read one, its status and receipt, the latest in a collection.</summary>
internal static class TransactionRoutes
{
    public static void Map(IEndpointRouteBuilder routes, NodeContext node)
    {
        routes.MapPost("/app/transactions", context => PostAsync(context, node)).RequiresAction(LedgerActions.Append);
        routes.MapPost("/app/transactions/batch", context => BatchRoutes.PostAsync(context, node)).RequiresAction(LedgerActions.Append);
        routes.MapGet("/app/transactions/current", context => CurrentAsync(context, node)).RequiresAction(LedgerActions.Read);
        routes.MapGet("/app/transactions/{transactionId}", context => GetAsync(context, node)).RequiresAction(LedgerActions.HistoricalQuery);
        routes.MapGet("/app/transactions/{transactionId}/status", context => StatusAsync(context, node)).RequiresAction(LedgerActions.TransactionsStatusRead);
        routes.MapGet("/app/transactions/{transactionId}/receipt", context => ReceiptAsync(context, node)).RequiresAction(LedgerActions.ReceiptsRead);
    }

    private static async Task PostAsync(HttpContext context, NodeContext node)
    {
        RequestReading.RequireContentType(context, "application/json");
        var collectionId = LedgerEntryInput.CollectionId(RequestReading.OptionalQuery(context, "collectionId"));
        var tags = LedgerEntryInput.Tags(RequestReading.OptionalQuery(context, "tags"));
        var waitForCommit = RequestReading.OptionalBooleanQuery(context, "waitForCommit");
        var body = await RequestReading.ReadBodyAsync(context, node.Options.MaxRequestBodyBytes);
        var contents = LedgerEntryInput.Contents(body);
        var id = await node.Sequencer.AppendAsync(collectionId, tags, contents, waitForCommit, context.RequestAborted);
        context.Response.Headers[TransactionIdHeader.Name] = id.ToString();
        if (waitForCommit)
        {
            RefuseRolledBack(node, id);
        }

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, collectionId, static (writer, collection) =>
        {
            writer.WriteStartObject();
            writer.WriteString("collectionId", collection);
            writer.WriteEndObject();
        });
    }

    /// <summary>Once the commit reached the last of <paramref name="ids"/>, refuses with 503 if any was rolled back instead of committed.</summary>
    internal static void RefuseRolledBack(NodeContext node, IReadOnlyList<TransactionId> ids)
    {
        foreach (var id in ids)
        {
            RefuseRolledBack(node, id);
        }
    }

    /// <summary>Once the commit reached <paramref name="id"/>, refuses with 503 if it was rolled back instead of committed.</summary>
    internal static void RefuseRolledBack(NodeContext node, TransactionId id)
    {
        if (node.Replica.StatusOf(id) != Consensus.CommitStatus.Committed)
        {
            throw new ApiException(
                StatusCodes.Status503ServiceUnavailable,
                ErrorCodes.TransactionInvalid,
                $"Transaction {id} was rolled back when the primary changed, and will never commit; write the entry again.");
        }
    }

    private static async Task GetAsync(HttpContext context, NodeContext node)
    {
        var collectionText = RequestReading.OptionalQuery(context, "collectionId");
        var expectedCollection = collectionText is null ? null : LedgerEntryInput.CollectionId(collectionText);
        var readPoint = ReadPoint.Take(context, node.Commits);
        var (id, entry, header) = TransactionLookup.Find(node, context.GetRouteValue("transactionId") as string);
        if (id.Seqno > readPoint.Seqno)
        {
            await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, static writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("state", "Loading");
                writer.WriteEndObject();
            });
            return;
        }

        var write = ApplicationWrite(node, id, entry, header);
        if (expectedCollection is not null && expectedCollection != write.CollectionId)
        {
            throw TransactionLookup.Unknown(id, $"it is in collection \"{write.CollectionId}\", not \"{expectedCollection}\"");
        }

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, write, static (writer, write) =>
        {
            writer.WriteStartObject();
            writer.WriteString("state", "Ready");
            writer.WritePropertyName("entry");
            EntryJson.Write(writer, write);
            writer.WriteEndObject();
        });
    }

    private static async Task CurrentAsync(HttpContext context, NodeContext node)
    {
        var collectionId = LedgerEntryInput.CollectionId(RequestReading.OptionalQuery(context, "collectionId"));
        var last = node.Ledger.FindLastByKey(Storage.Indexing.IndexKey.Collection(collectionId), ReadPoint.Take(context, node.Commits).Seqno)
            ?? throw ApiException.NotFound(ErrorCodes.EntryNotFound, $"The collection \"{collectionId}\" has no committed entry.");
        var write = StoredWrites.Decode(node, node.Ledger.ReadEntry(last));
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, write, static (writer, write) => EntryJson.Write(writer, write));
    }

    private static async Task StatusAsync(HttpContext context, NodeContext node)
    {
        // Taken before the entry is looked up: taken after, an entry found uncommitted could be
        // rolled back and its seqno written and committed in another view in between, and the id
        // looked up, which never committed, would be called committed.
        var readPoint = ReadPoint.Take(context, node.Commits);
        var (id, _, _) = TransactionLookup.Find(node, context.GetRouteValue("transactionId") as string);
        var committed = id.Seqno <= readPoint.Seqno;
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (id, committed), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("state", state.committed ? "Committed" : "Pending");
            writer.WriteString("transactionId", state.id.ToString());
            writer.WriteEndObject();
        });
    }

    private static async Task ReceiptAsync(HttpContext context, NodeContext node)
    {
        var readPoint = ReadPoint.Take(context, node.Commits);
        var (id, entry, header) = TransactionLookup.Find(node, context.GetRouteValue("transactionId") as string);
        if (id.Seqno > readPoint.Seqno)
        {
            throw new ApiException(
                StatusCodes.Status406NotAcceptable,
                ErrorCodes.UncommittedLedgerEntry,
                $"The specified transaction ({id}) is not committed yet, please wait until the service reports a committed transaction ID at least as high.");
        }

        var receipt = ReceiptBuilder.Build(node, readPoint, id, entry, header)
            ?? throw new ApiException(
                StatusCodes.Status406NotAcceptable,
                ErrorCodes.UncommittedLedgerEntry,
                $"The signature transaction {id} is committed, but no later signature covers it yet; its receipt exists once the ledger signs again.");
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, receipt, static (writer, receipt) => ReceiptJson.Write(writer, receipt));
    }

    /// <summary>The application write stored at <paramref name="id"/>; signatures and the node's own records are not entries.</summary>
    internal static WriteEntry ApplicationWrite(NodeContext node, TransactionId id, byte[] entry, in EntryHeader header)
    {
        if (header.Kind == EntryKind.Signature)
        {
            throw TransactionLookup.Unknown(id, "it is a signature transaction, which has no ledger entry");
        }

        var write = StoredWrites.Decode(node, entry);
        return write.CollectionId.StartsWith(LedgerEntryInput.ReservedCollectionPrefix, StringComparison.Ordinal)
            ? throw TransactionLookup.Unknown(id, "it records a change of users or roles, not a ledger entry")
            : write;
    }
}
