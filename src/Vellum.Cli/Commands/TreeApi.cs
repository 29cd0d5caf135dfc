using System.Net;
using System.Text.Json;
using Vellum.Core.TreeHeads;

namespace Vellum.Cli.Commands;

/// <summary>
/// Calls the tree routes (<c>GET /app/tree/head</c>, <c>GET /app/tree/consistency</c>) and reads
/// their answers, shared by <c>vellum verify-consistency</c> and <c>vellum monitor</c>.
/// </summary>
internal static class TreeApi
{
    /// <summary>The api-version the calls name; every route is served under every version.</summary>
    public const string ApiVersion = "2022-05-13";

    /// <summary>The node's error code for a tree size that is not a signed head of its ledger.</summary>
    public const string TreeHeadNotFound = "TreeHeadNotFound";

    /// <summary>The node's error code for a signed head it has not committed yet.</summary>
    public const string TreeHeadNotCommitted = "TreeHeadNotCommitted";

    /// <summary>The latest committed head, or the one of <paramref name="treeSize"/>.</summary>
    public static Task<TreeAnswer<SignedTreeHead>> HeadAsync(NodeApiClient client, long? treeSize, CancellationToken cancellationToken) =>
        GetAsync(client, treeSize is null ? "/app/tree/head" : $"/app/tree/head?treeSize={treeSize}", SignedTreeHead.Parse, cancellationToken);

    /// <summary>The consistency proof between the heads of <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static Task<TreeAnswer<TreeConsistency>> ConsistencyAsync(NodeApiClient client, long from, long to, CancellationToken cancellationToken) =>
        GetAsync(client, $"/app/tree/consistency?from={from}&to={to}", TreeConsistency.Parse, cancellationToken);

    private static async Task<TreeAnswer<T>> GetAsync<T>(NodeApiClient client, string path, Func<string, T> parse, CancellationToken cancellationToken)
        where T : class
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        NodeApiResponse response;
        try
        {
            response = await client.SendAsync(HttpMethod.Get, $"{path}{separator}api-version={ApiVersion}", cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            return TreeAnswer<T>.Failed(null, $"cannot reach {client.Target.Authority}: {exception.Message}");
        }

        if (response.Status != HttpStatusCode.OK)
        {
            return TreeAnswer<T>.Failed(ErrorCode(response.Body), $"{response.Authority} answered {(int)response.Status}: {response.ErrorText}");
        }

        try
        {
            return TreeAnswer<T>.Answered(parse(response.Body));
        }
        catch (TreeHeadFormatException exception)
        {
            return TreeAnswer<T>.Failed(null, $"{response.Authority} answered with something that is not a tree head or proof: {exception.Message}");
        }
    }

    private static string? ErrorCode(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("error").GetProperty("code").GetString();
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
