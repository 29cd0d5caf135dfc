namespace Vellum.Client.Http;

/// <summary>
/// One API call as the pipeline sends it, possibly several times (retries, redirects): which is
/// why the body is kept as bytes and a new message is built for every attempt.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path and query, relative to the endpoint (or an absolute URL from a <c>nextLink</c>).</param>
/// <param name="Body">The JSON body, or null for none.</param>
/// <param name="ContentType">The body's media type.</param>
/// <param name="Idempotent">
/// Whether sending the request twice has the effect of sending it once, so that a failure after it
/// may have reached the node can be retried. An append is not: a retry could write it twice.
/// </param>
internal readonly record struct LedgerRequest(HttpMethod Method, string PathAndQuery, byte[]? Body, string ContentType, bool Idempotent)
{
    public const string Json = "application/json";

    public const string MergePatch = "application/merge-patch+json";

    public static LedgerRequest Get(string pathAndQuery) => new(HttpMethod.Get, pathAndQuery, null, Json, Idempotent: true);
}
