using System.Net;
using Vellum.Node.Access;

namespace Vellum.Node.Tests.Api;

/// <summary>How a matrix caller presents itself.</summary>
internal enum CallerCredential
{
    /// <summary>A TLS client certificate.</summary>
    Certificate,

    /// <summary>A valid bearer token from the trusted issuer.</summary>
    BearerToken,

    /// <summary>Neither a certificate nor a token.</summary>
    None,

    /// <summary>A token from the trusted issuer that expired an hour ago.</summary>
    ExpiredToken,

    /// <summary>A token naming the issuer's key but signed with another key.</summary>
    ForgedToken,
}

/// <summary>
/// A caller of the authorization matrix: its credential and the role its identity holds (null
/// when the identity is not a user). What it may call follows from ACL-WIRE.md §5's action sets.
/// </summary>
internal sealed record MatrixCaller(string Name, CallerCredential Credential, string? Role)
{
    public static IReadOnlyList<MatrixCaller> All { get; } =
    [
        new("administrator by certificate", CallerCredential.Certificate, RoleNames.Administrator),
        new("contributor by certificate", CallerCredential.Certificate, RoleNames.Contributor),
        new("reader by RSA certificate", CallerCredential.Certificate, RoleNames.Reader),
        new("custom role by certificate", CallerCredential.Certificate, MatrixNode.CustomRole),
        new("administrator by token", CallerCredential.BearerToken, RoleNames.Administrator),
        new("contributor by token", CallerCredential.BearerToken, RoleNames.Contributor),
        new("reader by token", CallerCredential.BearerToken, RoleNames.Reader),
        new("custom role by token", CallerCredential.BearerToken, MatrixNode.CustomRole),
        new("certificate that is not a user", CallerCredential.Certificate, null),
        new("token whose oid is not a user", CallerCredential.BearerToken, null),
        new("no credentials", CallerCredential.None, null),
        new("expired token", CallerCredential.ExpiredToken, null),
        new("forged token", CallerCredential.ForgedToken, null),
    ];

    public static MatrixCaller Named(string name) => All.Single(caller => caller.Name == name);

    /// <summary>Whether the caller proves an identity at all (a certificate or a valid token).</summary>
    public bool IsAuthenticated => Credential is CallerCredential.Certificate or CallerCredential.BearerToken;

    /// <summary>The status the node must answer <paramref name="route"/> with for this caller.</summary>
    public HttpStatusCode Expected(ApiRoute route)
    {
        if (route.IsAnonymous)
        {
            return route.Success;
        }

        if (!IsAuthenticated)
        {
            return HttpStatusCode.Unauthorized;
        }

        if (route.Role is not null)
        {
            // A role route asks for the built-in role itself: no custom role can stand in for it.
            return Role == route.Role ? route.Success : HttpStatusCode.Forbidden;
        }

        var granted = Role is null ? [] : LedgerActions.ForBuiltInRole(Role) ?? MatrixNode.CustomActions;
        return granted.Contains(route.Action!, StringComparer.Ordinal) ? route.Success : HttpStatusCode.Forbidden;
    }
}
