using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary>The ledger chunk routes over real TLS: the listing, whole and partial downloads with their digest, and what is not served.</summary>
public sealed class ChunkApiTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, MaxChunkBytes = 4096 });
        _client = _node.AdminClient();
        for (var i = 0; i < 12; i++)
        {
            await TestNode.AppendAsync(_client, new string('x', 1000), waitForCommit: i == 11);
        }
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ListingNamesEveryChunkFileWithItsSeqnosLengthStateAndTheDigestOfCommittedOnes()
    {
        var chunks = await ListAsync();

        var files = Directory.EnumerateFiles(Path.Combine(_node.DataDirectory, "ledger"), "ledger_*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, chunks.Select(chunk => chunk.GetProperty("name").GetString()).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(1, chunks[0].GetProperty("firstSeqno").GetInt64());
        var closed = chunks.Where(chunk => chunk.GetProperty("closed").GetBoolean()).ToList();
        Assert.True(closed.Count >= 2, "the small chunk size makes several closed chunks");
        foreach (var chunk in closed)
        {
            var path = Path.Combine(_node.DataDirectory, "ledger", chunk.GetProperty("name").GetString()!);
            Assert.True(chunk.GetProperty("committed").GetBoolean());
            Assert.Equal(new FileInfo(path).Length, chunk.GetProperty("bytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))), chunk.GetProperty("sha256").GetString());
        }

        foreach (var open in chunks.Where(chunk => !chunk.GetProperty("closed").GetBoolean()))
        {
            Assert.Equal(JsonValueKind.Null, open.GetProperty("lastSeqno").ValueKind);
            Assert.False(open.GetProperty("committed").GetBoolean());
            Assert.False(open.TryGetProperty("sha256", out _));
        }
    }

    [Fact]
    public async Task DownloadServesTheWholeFileWithItsReprDigest()
    {
        var (name, bytes) = await FirstClosedChunkAsync();

        using var response = await _client.GetAsync(TestNode.App($"/app/ledger/chunks/{name}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes))}:", response.Headers.GetValues("Repr-Digest").Single());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task RangeIsServedAsPartialContentWithTheWholeFilesDigest()
    {
        var (name, bytes) = await FirstClosedChunkAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, TestNode.App($"/app/ledger/chunks/{name}"));
        request.Headers.Range = new RangeHeaderValue(100, 299);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[100..300], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(new ContentRangeHeaderValue(100, 299, bytes.Length), response.Content.Headers.ContentRange);
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes))}:", response.Headers.GetValues("Repr-Digest").Single());
    }

    [Fact]
    public async Task SuffixRangeServesTheFilesLastBytes()
    {
        var (name, bytes) = await FirstClosedChunkAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, TestNode.App($"/app/ledger/chunks/{name}"));
        request.Headers.Range = new RangeHeaderValue(null, 52);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[^52..], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(new ContentRangeHeaderValue(bytes.Length - 52, bytes.Length - 1, bytes.Length), response.Content.Headers.ContentRange);
    }

    [Fact]
    public async Task IfRangeHonoursTheRangeOnlyForTheFilesOwnTag()
    {
        var (name, bytes) = await FirstClosedChunkAsync();
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"");
        foreach (var (condition, partial) in new (RangeConditionHeaderValue, bool)[]
        {
            (new(etag), true),
            (new(new EntityTagHeaderValue("\"0000\"")), false),
            (new(DateTimeOffset.UtcNow), false),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, TestNode.App($"/app/ledger/chunks/{name}"));
            request.Headers.Range = new RangeHeaderValue(0, 1);
            request.Headers.IfRange = condition;

            using var response = await _client.SendAsync(request);

            Assert.Equal(partial ? HttpStatusCode.PartialContent : HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(partial ? bytes[..2] : bytes, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task IfNoneMatchWithTheFilesTagIsNotModifiedAndIfMatchWithAnotherFailsItsPrecondition()
    {
        var (name, bytes) = await FirstClosedChunkAsync();
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"");

        using var cached = new HttpRequestMessage(HttpMethod.Get, TestNode.App($"/app/ledger/chunks/{name}"));
        cached.Headers.IfNoneMatch.Add(etag);
        using (var response = await _client.SendAsync(cached))
        {
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Equal(etag, response.Headers.ETag);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        using var changed = new HttpRequestMessage(HttpMethod.Get, TestNode.App($"/app/ledger/chunks/{name}"));
        changed.Headers.IfMatch.Add(new EntityTagHeaderValue("\"0000\""));
        using (var response = await _client.SendAsync(changed))
        {
            await ApiAssert.ErrorAsync(response, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        }

        using var same = new HttpRequestMessage(HttpMethod.Get, TestNode.App($"/app/ledger/chunks/{name}"));
        same.Headers.IfMatch.Add(etag);
        same.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000\""));
        using (var response = await _client.SendAsync(same))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task AnIfMatchThatDoesNotParseFailsItsPreconditionWhileAnIfNoneMatchThatDoesNotParseIsServed()
    {
        var (name, bytes) = await FirstClosedChunkAsync();
        var unquoted = Convert.ToHexStringLower(SHA256.HashData(bytes));

        using var ifMatch = new HttpRequestMessage(HttpMethod.Get, TestNode.App($"/app/ledger/chunks/{name}"));
        Assert.True(ifMatch.Headers.TryAddWithoutValidation("If-Match", unquoted));
        using (var response = await _client.SendAsync(ifMatch))
        {
            await ApiAssert.ErrorAsync(response, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        }

        using var ifNoneMatch = new HttpRequestMessage(HttpMethod.Get, TestNode.App($"/app/ledger/chunks/{name}"));
        Assert.True(ifNoneMatch.Headers.TryAddWithoutValidation("If-None-Match", unquoted));
        using (var response = await _client.SendAsync(ifNoneMatch))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task RangePastTheEndIsNotSatisfiable()
    {
        var (name, bytes) = await FirstClosedChunkAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, TestNode.App($"/app/ledger/chunks/{name}"));
        request.Headers.Range = new RangeHeaderValue(bytes.Length, null);

        using var response = await _client.SendAsync(request);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange");
        Assert.Equal($"bytes */{bytes.Length}", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Fact]
    public async Task TheOpenChunkIsListedButNotServed()
    {
        // A small entry and its signature start an open chunk that they do not fill, unless they
        // close a nearly full one (how full depends on how many signatures the setup's writes
        // shared); then a second pair starts an empty one.
        string? open = null;
        for (var attempt = 0; attempt < 2 && open is null; attempt++)
        {
            await TestNode.AppendAsync(_client, "y", waitForCommit: true);
            open = (await ListAsync()).Where(chunk => !chunk.GetProperty("closed").GetBoolean()).Select(chunk => chunk.GetProperty("name").GetString()).SingleOrDefault();
        }

        Assert.NotNull(open);

        using var response = await _client.GetAsync(TestNode.App($"/app/ledger/chunks/{open}"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Conflict, "ChunkNotCommitted");
    }

    [Fact]
    public async Task ANameThatIsNoChunkFilesIsNotFound()
    {
        using var response = await _client.GetAsync(TestNode.App("/app/ledger/chunks/vellum.json"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "ChunkNotFound");
    }

    private async Task<List<JsonElement>> ListAsync()
    {
        using var response = await _client.GetAsync(TestNode.App("/app/ledger/chunks"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await TestNode.ReadJsonAsync(response)).GetProperty("chunks").EnumerateArray()];
    }

    private async Task<(string Name, byte[] Bytes)> FirstClosedChunkAsync()
    {
        var name = (await ListAsync()).First(chunk => chunk.GetProperty("committed").GetBoolean()).GetProperty("name").GetString()!;
        return (name, await File.ReadAllBytesAsync(Path.Combine(_node.DataDirectory, "ledger", name)));
    }
}
