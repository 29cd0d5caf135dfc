namespace Vellum.Node.Api;

/// <summary>
/// <c>x-ms-ccf-transaction-id</c>, on every response: a write's own id, otherwise the last
/// committed transaction, which is the state a read was served at.
/// </summary>
internal static class TransactionIdHeader
{
    public const string Name = "x-ms-ccf-transaction-id";

    /// <summary>
    /// The callback that gives a response of <paramref name="node"/> the header as it starts,
    /// unless the route set it: made once per node and registered with the request's
    /// <see cref="HttpContext"/> as its state, so that registering it allocates nothing of its own.
    /// </summary>
    public static Func<object, Task> OnStarting(NodeContext node) => state =>
    {
        var headers = ((HttpContext)state).Response.Headers;
        if (!headers.ContainsKey(Name))
        {
            headers[Name] = node.Commits.Committed.ToString();
        }

        return Task.CompletedTask;
    };
}
