namespace Vellum.Node.Api;

/// <summary>
/// <c>x-ms-ccf-transaction-id</c>, on every response: a write's own id, otherwise the last
/// committed transaction, which is the state a read was served at.
/// </summary>
internal static class TransactionIdHeader
{
    public const string Name = "x-ms-ccf-transaction-id";

    public static void AddOnStarting(HttpContext context, NodeContext node)
        => context.Response.OnStarting(
            static state =>
            {
                var (context, node) = ((HttpContext, NodeContext))state;
                var headers = context.Response.Headers;
                if (!headers.ContainsKey(Name))
                {
                    headers[Name] = node.Commits.Committed.ToString();
                }

                return Task.CompletedTask;
            },
            (context, node));
}
