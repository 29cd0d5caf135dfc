namespace Vellum.Bench;

/// <summary>One way of loading an endpoint: how many clients each keep one request in flight, and whether writes wait for commit.</summary>
internal sealed record LoadShape(string Name, int Clients, bool WaitForCommit)
{
    /// <summary>The request path for a Vellum node; the floor gets the same path and ignores it.</summary>
    public string Path => WaitForCommit
        ? "/app/transactions?api-version=2024-08-22-preview&waitForCommit=true"
        : "/app/transactions?api-version=2024-08-22-preview";
}
