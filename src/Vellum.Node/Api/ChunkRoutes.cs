using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Vellum.Node.Access;
using Vellum.Node.Authentication;
using Vellum.Storage;
using Vellum.Storage.Audit;

namespace Vellum.Node.Api;

/// <summary>
/// The ledger's chunk files for auditors (docs/api.md, "Ledger chunks"): a listing, and the download
/// of a committed, closed chunk, with byte ranges and the whole file's SHA-256 in
/// <c>Repr-Digest</c> (RFC 9530). Only committed bytes are served: a closed chunk whose last entry
/// is committed never changes again, while the open chunk and a closed chunk holding uncommitted
/// entries can still be cut by a change of primary, so they are listed but not served.
/// </summary>
internal static class ChunkRoutes
{
    public static void Map(IEndpointRouteBuilder routes, NodeContext node)
    {
        var digests = new ChunkDigests();
        routes.MapGet("/app/ledger/chunks", context => ListAsync(context, node, digests)).RequiresAction(LedgerActions.HistoricalQuery);
        routes.MapGet("/app/ledger/chunks/{chunkName}", context => DownloadAsync(context, node, digests)).RequiresAction(LedgerActions.HistoricalQuery);
    }

    private static async Task ListAsync(HttpContext context, NodeContext node, ChunkDigests digests)
    {
        var committed = ReadPoint.Take(context, node.Commits).Seqno;
        var chunks = new List<(string Name, long First, long? Last, long Bytes, bool Committed, byte[]? Sha256)>();
        foreach (var path in LedgerAuditor.ChunkFilesIn(node.Material.Directory.Ledger))
        {
            var name = Path.GetFileName(path);
            var closed = ClosedChunkFiles.TryParseName(name, out var first, out var last);
            if (!closed && !ClosedChunkFiles.TryParseOpenName(name, out first))
            {
                continue;
            }

            // A file cut or renamed by a truncation while the folder is listed is left out: it held no committed entry.
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                continue;
            }

            var isCommitted = closed && last <= committed;
            var sha256 = isCommitted ? await digests.OfAsync(path, file.Length, context.RequestAborted) : null;
            chunks.Add((name, first, closed ? last : null, file.Length, isCommitted, sha256));
        }

        chunks.Sort((a, b) => a.First.CompareTo(b.First));
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, chunks, static (writer, chunks) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("chunks");
            foreach (var chunk in chunks)
            {
                writer.WriteStartObject();
                writer.WriteString("name", chunk.Name);
                writer.WriteNumber("firstSeqno", chunk.First);
                if (chunk.Last is { } last)
                {
                    writer.WriteNumber("lastSeqno", last);
                }
                else
                {
                    writer.WriteNull("lastSeqno");
                }

                writer.WriteNumber("bytes", chunk.Bytes);
                writer.WriteBoolean("closed", chunk.Last is not null);
                writer.WriteBoolean("committed", chunk.Committed);
                if (chunk.Sha256 is { } sha256)
                {
                    writer.WriteString("sha256", Convert.ToHexStringLower(sha256));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task DownloadAsync(HttpContext context, NodeContext node, ChunkDigests digests)
    {
        var name = context.GetRouteValue("chunkName") as string ?? string.Empty;
        var isClosed = ClosedChunkFiles.TryParseName(name, out _, out var last);
        if (!isClosed && !ClosedChunkFiles.TryParseOpenName(name, out _))
        {
            throw ApiException.NotFound(ErrorCodes.ChunkNotFound, $"\"{name}\" is not the name of a chunk file.");
        }

        // Taken before the file is looked at: a chunk whose last entry is at or before it never changes.
        var readPoint = ReadPoint.Take(context, node.Commits);
        var path = Path.Combine(node.Material.Directory.Ledger, name);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw ApiException.NotFound(ErrorCodes.ChunkNotFound, $"The ledger has no chunk {name}.");
        }

        if (!isClosed)
        {
            throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.ChunkNotCommitted, $"{name} is the open chunk, still written to: only committed, closed chunks are served.");
        }

        if (last > readPoint.Seqno)
        {
            throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.ChunkNotCommitted, $"{name} holds entries after the last committed one, {readPoint}; it is served once they commit.");
        }

        var length = file.Length;
        var sha256 = await digests.OfAsync(path, length, context.RequestAborted);
        var response = context.Response;
        response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(sha256)}:";
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(sha256)}\"");
        response.Headers.ETag = etag.ToString();
        response.Headers.AcceptRanges = "bytes";
        switch (ConditionalRequest.Evaluate(context, etag))
        {
            case ConditionalRequest.Outcome.PreconditionFailed:
                throw new ApiException(StatusCodes.Status412PreconditionFailed, ErrorCodes.PreconditionFailed, $"If-Match names no tag of {name}, whose ETag is {etag}.");
            case ConditionalRequest.Outcome.NotModified:
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
        }

        if (SelectRange(context, length, etag) is not var (offset, count))
        {
            response.Headers.ContentRange = $"bytes */{length.ToString(CultureInfo.InvariantCulture)}";
            await JsonResponses.WriteErrorAsync(context, StatusCodes.Status416RangeNotSatisfiable, ErrorCodes.InvalidRange, $"The range asked for lies outside the chunk's {length} bytes.");
            return;
        }

        response.ContentType = "application/octet-stream";
        response.ContentLength = count;
        if (response.StatusCode == StatusCodes.Status206PartialContent)
        {
            response.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + count - 1, length).ToString();
        }

        // SendFileAsync streams from the file: a chunk is never held in memory.
        await response.SendFileAsync(path, offset, count, context.RequestAborted);
    }

    /// <summary>
    /// The bytes a <c>Range</c> header asks for (RFC 9110 §14): one range is served as 206, several
    /// or none as the whole file (a server may ignore a Range), and one that lies past the end is
    /// null, answered 416. An <c>If-Range</c> that does not name the file's tag asks for the whole file.
    /// </summary>
    private static (long Offset, long Count)? SelectRange(HttpContext context, long length, EntityTagHeaderValue etag)
    {
        var ranges = context.Request.GetTypedHeaders().Range;
        if (ranges is null || !ConditionalRequest.RangeApplies(context, etag) || !ranges.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) || ranges.Ranges.Count != 1)
        {
            return (0, length);
        }

        var range = ranges.Ranges.Single();
        long offset, end;
        if (range.From is { } from)
        {
            offset = from;
            end = Math.Min(range.To ?? (length - 1), length - 1);
        }
        else
        {
            offset = Math.Max(0, length - range.To!.Value);
            end = range.To.Value == 0 ? -1 : length - 1;
        }

        if (offset >= length || end < offset)
        {
            return null;
        }

        context.Response.StatusCode = StatusCodes.Status206PartialContent;
        return (offset, end - offset + 1);
    }
}
