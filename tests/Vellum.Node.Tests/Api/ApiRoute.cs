using System.Net;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// One route the node maps, as the authorization matrix calls it: the action its caller's roles
/// must grant, or the built-in role its caller must hold (both null for a route anyone may call),
/// the status of a permitted call, how to build a request that succeeds when permitted, and what
/// the Administrator must set up first.
/// </summary>
internal sealed record ApiRoute(
    string Method,
    string Template,
    string? Action,
    HttpStatusCode Success,
    Func<MatrixNode, HttpRequestMessage> Build,
    Func<MatrixNode, Task>? Prepare = null,
    string? Role = null)
{
    /// <summary>The name the node's routing uses: method and route template.</summary>
    public string Name => $"{Method} {Template}";

    public bool IsAnonymous => Action is null && Role is null;

    /// <summary>Who may call it, as the matrix test names it: the action, <c>role X</c>, or <c>anonymous</c>.</summary>
    public string Access => Action ?? (Role is null ? "anonymous" : $"role {Role}");

    /// <summary>Whether a permitted call changes the ledger.</summary>
    public bool Writes => Method != "GET";
}
