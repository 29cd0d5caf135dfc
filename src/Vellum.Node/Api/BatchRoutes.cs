using Vellum.Core;
using Vellum.Node.Sequencing;

namespace Vellum.Node.Api;

/// <summary><c>POST /app/transactions/batch</c>: several entries appended in order as one write, with no other request's write between them.</summary>
internal static class BatchRoutes
{
    public static async Task PostAsync(HttpContext context, NodeContext node)
    {
        RequestReading.RequireContentType(context, "application/json");

        // A single append's collection and tags come from the query; a batch's from each entry.
        // Given in the query they would be ignored, so they are refused rather than dropped.
        foreach (var perEntry in (ReadOnlySpan<string>)["collectionId", "tags"])
        {
            if (context.Request.Query.ContainsKey(perEntry))
            {
                throw ApiException.BadRequest(ErrorCodes.InvalidQueryParameter, $"A batch takes {perEntry} from each entry of its body (\"{perEntry}\"), not from the query.");
            }
        }

        var waitForCommit = RequestReading.OptionalBooleanQuery(context, "waitForCommit");
        var body = await RequestReading.ReadBodyAsync(context, node.Options.MaxRequestBodyBytes);
        var writes = BatchInput.Entries(body);
        var ids = await node.Sequencer.AppendBatchAsync(writes, waitForCommit, context.RequestAborted);
        context.Response.Headers[TransactionIdHeader.Name] = ids[^1].ToString();
        if (waitForCommit)
        {
            // Commit is a prefix of the log: once the last entry is committed, so is every earlier one.
            TransactionRoutes.RefuseRolledBack(node, ids);
        }

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (writes, ids), static (writer, batch) =>
        {
            // Up to a thousand ids: each is formatted in place rather than as a string of its own.
            Span<char> id = stackalloc char[TransactionId.MaxChars];
            writer.WriteStartObject();
            writer.WriteStartArray("transactions");
            for (var i = 0; i < batch.ids.Count; i++)
            {
                Invariant.Check(batch.ids[i].TryFormat(id, out var length, default, null), "a transaction id fits its longest form");
                writer.WriteStartObject();
                writer.WriteString("transactionId", id[..length]);
                writer.WriteString("collectionId", batch.writes[i].CollectionId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
