using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Vellum.Cli.Commands;

/// <summary>
/// Downloads a node's committed, closed chunks (GET /app/ledger/chunks) into a folder for
/// <c>vellum audit URL</c>, streaming each file to disk and checking its bytes against the
/// <c>Repr-Digest</c> the node sent and the SHA-256 it listed. Those digests guard the transfer
/// only: the audit itself trusts nothing the node says.
/// </summary>
internal sealed class AuditDownload(NodeApiClient client, string folder)
{
    private const string ApiVersion = "2024-08-22-preview";
    private const int BufferBytes = 1 << 20;

    /// <summary>The chunks the node listed but does not serve yet (the open chunk, and closed ones holding uncommitted entries).</summary>
    public int NotCommitted { get; private set; }

    /// <summary>The committed chunks the node lists, as (name, bytes, SHA-256 hex).</summary>
    public async Task<List<(string Name, long Bytes, string Sha256)>> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await client.GetStreamingAsync($"/app/ledger/chunks?api-version={ApiVersion}", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new AuditSourceException($"the node answered the chunk listing with {(int)response.StatusCode}: {new NodeApiResponse(response.StatusCode, body, null, client.Target.Authority).ErrorText}");
        }

        var chunks = new List<(string, long, string)>();
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var chunk in document.RootElement.GetProperty("chunks").EnumerateArray())
            {
                if (!chunk.GetProperty("committed").GetBoolean())
                {
                    NotCommitted++;
                    continue;
                }

                var name = chunk.GetProperty("name").GetString() ?? string.Empty;
                if (Path.GetFileName(name) != name || !Vellum.Storage.ClosedChunkFiles.TryParseName(name, out _, out _))
                {
                    throw new AuditSourceException($"the node lists \"{name}\", which is not a closed chunk's name");
                }

                chunks.Add((name, chunk.GetProperty("bytes").GetInt64(), chunk.GetProperty("sha256").GetString() ?? string.Empty));
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new AuditSourceException($"the node's chunk listing is malformed: {exception.Message}");
        }

        return chunks;
    }

    /// <summary>Downloads one chunk to the folder and returns its path; reports each buffer's bytes to <paramref name="progress"/>.</summary>
    public async Task<string> DownloadAsync(string name, string listedSha256, IProgress<long> progress, CancellationToken cancellationToken)
    {
        using var response = await client.GetStreamingAsync($"/app/ledger/chunks/{Uri.EscapeDataString(name)}?api-version={ApiVersion}", cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new AuditSourceException($"the node answered the download of {name} with {(int)response.StatusCode}: {new NodeApiResponse(response.StatusCode, body, null, client.Target.Authority).ErrorText}");
        }

        var path = Path.Combine(folder, name);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var input = await response.Content.ReadAsStreamAsync(cancellationToken))
        await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            var buffer = new byte[BufferBytes];
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                progress.Report(read);
            }
        }

        var digest = hash.GetHashAndReset();
        var expected = response.Headers.TryGetValues("Repr-Digest", out var values) ? values.FirstOrDefault() : null;
        if (expected != $"sha-256=:{Convert.ToBase64String(digest)}:" || Convert.ToHexStringLower(digest) != listedSha256)
        {
            throw new AuditSourceException($"the bytes of {name} received do not match the digest the node sent ({expected ?? "none"}) or listed ({listedSha256}): the transfer was damaged");
        }

        return path;
    }
}
