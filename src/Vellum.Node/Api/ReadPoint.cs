using Microsoft.Extensions.Primitives;
using Vellum.Core;
using Vellum.Node.Sequencing;

namespace Vellum.Node.Api;

/// <summary>
/// The transaction a read is served at: the last committed transaction, taken once per request
/// and kept in the response's <c>x-ms-ccf-transaction-id</c>, so that every commit check the read
/// makes and the header it answers with name the same state. Commit moves while a request runs:
/// read twice, the commit point could say "not committed" to a check and then give the header a
/// later transaction. The header is the only place it is kept, so taking it costs the one header
/// string every response already had.
/// </summary>
/// <remarks>
/// A route takes it before it reads the ledger: an entry at or before it is committed and never
/// changes, while one after it may still be rolled back and its seqno written again. It is never
/// ahead of what storage can read, since commit is published only once consensus has committed
/// the entries, which are then durable in the ledger.
/// </remarks>
internal static class ReadPoint
{
    /// <summary>
    /// The read point of <paramref name="context"/>: on the first call, the last committed
    /// transaction of <paramref name="commits"/>, now, which the response's header is set to;
    /// on later calls in the same request, that same transaction. Only reads take it: a write's
    /// header is its own id.
    /// </summary>
    public static TransactionId Take(HttpContext context, CommitTracker commits)
    {
        var headers = context.Response.Headers;
        if (headers.TryGetValue(TransactionIdHeader.Name, out var taken) && TransactionId.TryParse(taken.ToString(), out var id))
        {
            return id;
        }

        var committed = commits.Committed;
        headers[TransactionIdHeader.Name] = committed.ToString();
        return committed;
    }

    /// <summary>
    /// Clears the response for an error answer, but keeps a read's read point, so that a refusal
    /// (an entry or tree head not committed yet) and its header name the same state. A write's
    /// header is not kept: its error answer names the last committed transaction when it starts.
    /// </summary>
    public static void ClearKeepingIt(HttpContext context)
    {
        var response = context.Response;
        var method = context.Request.Method;
        var taken = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? response.Headers[TransactionIdHeader.Name] : StringValues.Empty;
        response.Clear();
        if (!StringValues.IsNullOrEmpty(taken))
        {
            response.Headers[TransactionIdHeader.Name] = taken;
        }
    }
}
