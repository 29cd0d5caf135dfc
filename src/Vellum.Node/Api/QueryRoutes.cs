using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Core.Entries;
using Vellum.Node.Access;
using Vellum.Node.Authentication;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Api;

/// <summary>Range queries over a collection (optionally one tag), paged with a relative <c>nextLink</c>, and the collection list.</summary>
internal static class QueryRoutes
{
    public static void Map(IEndpointRouteBuilder routes, NodeContext node)
    {
        routes.MapGet("/app/transactions", context => ListAsync(context, node)).RequiresAction(LedgerActions.HistoricalQuery);
        routes.MapGet("/app/collections", context => CollectionsAsync(context, node)).RequiresAction(LedgerActions.CollectionsRead);
    }

    private static async Task ListAsync(HttpContext context, NodeContext node)
    {
        var collectionText = RequestReading.OptionalQuery(context, "collectionId");
        var collectionId = LedgerEntryInput.CollectionId(collectionText);
        var tagText = RequestReading.OptionalQuery(context, "tag");
        var tag = tagText is null ? null : LedgerEntryInput.Tag(tagText);
        var fromText = RequestReading.OptionalQuery(context, "fromTransactionId");
        var toText = RequestReading.OptionalQuery(context, "toTransactionId");
        var from = fromText is null ? 1 : TransactionLookup.Parse(fromText, "fromTransactionId").Seqno;
        var to = toText is null ? long.MaxValue : TransactionLookup.Parse(toText, "toTransactionId").Seqno;
        var committed = ReadPoint.Take(context, node.Commits).Seqno;
        var key = tag is null ? IndexKey.Collection(collectionId) : IndexKey.Tag(collectionId, tag);
        var pageSize = node.Options.MaxEntriesPerPage;
        var found = from > Math.Min(to, committed) ? [] : node.Ledger.ReadByKey(key, from, Math.Min(to, committed), pageSize + 1);
        var count = Math.Min(found.Count, pageSize);
        var opened = StoredWrites.OpenPrivate(node, found, count);
        string? nextLink = null;
        if (found.Count > pageSize)
        {
            var next = EntryCodec.ReadHeader(found[pageSize]).Id;
            nextLink = NextLink(ApiVersions.Of(context), collectionText, tagText, next.ToString(), toText);
        }

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (found, count, opened, nextLink), static (writer, result) =>
        {
            writer.WriteStartObject();
            writer.WriteString("state", "Ready");
            writer.WriteStartArray("entries");
            for (var i = 0; i < result.count; i++)
            {
                if (result.opened?[i] is { } write)
                {
                    EntryJson.Write(writer, write);
                }
                else
                {
                    // Storage validates every entry when appended and again when read from a file, so this cannot throw mid-answer.
                    EntryJson.Write(writer, EntryCodec.ReadWrite(result.found[i]));
                }
            }

            writer.WriteEndArray();
            if (result.nextLink is not null)
            {
                writer.WriteString("nextLink", result.nextLink);
            }

            writer.WriteEndObject();
        });
    }

    private static string NextLink(string apiVersion, string? collectionId, string? tag, string fromTransactionId, string? toTransactionId)
    {
        var link = new StringBuilder("/app/transactions?api-version=").Append(Uri.EscapeDataString(apiVersion));
        Append(link, "collectionId", collectionId);
        Append(link, "tag", tag);
        Append(link, "fromTransactionId", fromTransactionId);
        Append(link, "toTransactionId", toTransactionId);
        return link.ToString();

        static void Append(StringBuilder link, string name, string? value)
        {
            if (value is not null)
            {
                link.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }
    }

    // The collections with an entry committed at the read point: one whose only entries are not
    // committed yet may still be rolled back.
    private static async Task CollectionsAsync(HttpContext context, NodeContext node)
    {
        var committed = ReadPoint.Take(context, node.Commits).Seqno;
        var collections = node.Ledger.Keys(IndexKeyKind.Collection)
            .Where(key => !key.CollectionId.StartsWith(LedgerEntryInput.ReservedCollectionPrefix, StringComparison.Ordinal)
                && node.Ledger.FindLastByKey(key, committed) is not null)
            .Select(key => key.CollectionId)
            .ToList();
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, collections, static (writer, collections) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("collections");
            foreach (var collection in collections)
            {
                writer.WriteStartObject();
                writer.WriteString("collectionId", collection);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
