using Vellum.Node.Sequencing;

namespace Vellum.Node.Api;

/// <summary>
/// <c>x-ms-ccf-transaction-id</c>, on every response: a write's own id, otherwise the last
/// committed transaction, which is the state a read was served at. A read route takes it as its
/// <see cref="ReadPoint"/> before its checks; for a response no route gave it, it is taken as the
/// response starts.
/// </summary>
internal static class TransactionIdHeader
{
    public const string Name = "x-ms-ccf-transaction-id";

    /// <summary>
    /// The callback that gives a response of the node whose commit is <paramref name="commits"/>
    /// the header as it starts, unless the route set it: made once per node and registered with the
    /// request's <see cref="HttpContext"/> as its state, so that registering it allocates nothing of
    /// its own.
    /// </summary>
    public static Func<object, Task> OnStarting(CommitTracker commits) => state =>
    {
        var headers = ((HttpContext)state).Response.Headers;
        if (!headers.ContainsKey(Name))
        {
            headers[Name] = commits.Committed.ToString();
        }

        return Task.CompletedTask;
    };
}
