using System.Net;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// One route the node maps, as the authorization matrix calls it: the action its caller's roles
/// must grant (null for a route anyone may call), the status of a permitted call, how to build a
/// request that succeeds when permitted, and what the Administrator must set up first.
/// </summary>
internal sealed record ApiRoute(
    string Method,
    string Template,
    string? Action,
    HttpStatusCode Success,
    Func<MatrixNode, HttpRequestMessage> Build,
    Func<MatrixNode, Task>? Prepare = null)
{
    /// <summary>The name the node's routing uses: method and route template.</summary>
    public string Name => $"{Method} {Template}";

    public bool IsAnonymous => Action is null;

    /// <summary>Whether a permitted call changes the ledger.</summary>
    public bool Writes => Method != "GET";
}
