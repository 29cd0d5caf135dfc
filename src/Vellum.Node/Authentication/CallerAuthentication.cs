using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using Vellum.Node.Access;
using Vellum.Node.Api;
using Vellum.Node.Authentication.Jwt;
using Vellum.Node.Governance;

namespace Vellum.Node.Authentication;

/// <summary>
/// Runs after routing: identifies the caller by bearer token (when an Authorization header is
/// sent) or by TLS client certificate, then checks that one of the caller's roles grants the
/// route's action, or holds the route's required role. 401 when no valid identity is presented;
/// 403 when the identity's roles, if it has any, do not grant the action or include the role.
/// Routes marked anonymous skip both.
/// </summary>
internal sealed class CallerAuthentication(AccessLedger access, JwtValidator jwt)
{
    private const string BearerPrefix = "Bearer ";
    private static readonly object CertificateUserKey = new();

    /// <summary>Refuses to start a node with a route that declares neither an action, a role nor anonymous access.</summary>
    public static void RequireDeclaredAccess(IEndpointRouteBuilder routes)
    {
        foreach (var endpoint in routes.DataSources.SelectMany(source => source.Endpoints))
        {
            if (endpoint.Metadata.GetMetadata<RequiredAction>() is null && endpoint.Metadata.GetMetadata<RequiredRole>() is null && endpoint.Metadata.GetMetadata<AnonymousAccess>() is null)
            {
                throw new InvalidOperationException($"The route {endpoint.DisplayName} declares no required action or role and is not marked anonymous.");
            }
        }
    }

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // Every route the node maps declares its access (checked when the node starts); an
        // endpoint without a declaration is routing's own, such as its 405 answer.
        var metadata = context.GetEndpoint()?.Metadata;
        var action = metadata?.GetMetadata<RequiredAction>()?.Action;
        var role = metadata?.GetMetadata<RequiredRole>()?.Role;
        if (action is null && role is null)
        {
            return next(context);
        }

        // A certificate caller is known at once: then no state machine is made for the request.
        var caller = AuthenticateAsync(context);
        if (!caller.IsCompletedSuccessfully)
        {
            return AuthorizeWhenAuthenticatedAsync(caller, action, role, context, next);
        }

        Authorize(caller.Result, action, role);
        return next(context);
    }

    private async Task AuthorizeWhenAuthenticatedAsync(ValueTask<UserId> caller, string? action, string? role, HttpContext context, RequestDelegate next)
    {
        Authorize(await caller, action, role);
        await next(context);
    }

    /// <summary>Refuses with 403 unless one of the caller's roles grants <paramref name="action"/> and, if given, the caller holds <paramref name="role"/>.</summary>
    private void Authorize(UserId caller, string? action, string? role)
    {
        if (action is not null && !access.Control.IsAllowed(caller, action))
        {
            throw Forbidden(caller, $"No role of the caller {caller.Original} grants {action}.");
        }

        if (role is not null && access.Control.GetUser(caller)?.Any(held => RoleNames.Normalize(held) == role) != true)
        {
            throw Forbidden(caller, $"Only a user holding the {role} role may do this; the caller {caller.Original} does not.");
        }
    }

    private ApiException Forbidden(UserId caller, string message) =>
        new(
            StatusCodes.Status403Forbidden,
            ErrorCodes.Forbidden,
            access.Control.GetUser(caller) is null ? $"The caller {caller.Original} is not a user of this ledger." : message);

    /// <summary>The caller, by bearer token or else client certificate; a certificate caller is known without waiting.</summary>
    private ValueTask<UserId> AuthenticateAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization;
        return StringValues.IsNullOrEmpty(authorization)
            ? new ValueTask<UserId>(CertificateCaller(context))
            : new ValueTask<UserId>(AuthenticateBearerAsync(authorization.ToString(), context.RequestAborted));
    }

    private static UserId CertificateCaller(HttpContext context)
    {
        var certificate = context.Features.Get<ITlsConnectionFeature>()?.ClientCertificate
            ?? throw Unauthorized("Present a client certificate or a bearer token.");

        // The certificate is fixed for the connection, so its digest is computed once per
        // connection rather than on every request. HTTP/2 streams of one connection run
        // concurrently, and the connection's items are a plain dictionary: hence the lock.
        var connection = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (connection is null)
        {
            return UserId.FromCertificate(certificate);
        }

        lock (connection)
        {
            if (connection.TryGetValue(CertificateUserKey, out var cached) && cached is UserId known)
            {
                return known;
            }

            var user = UserId.FromCertificate(certificate);
            connection[CertificateUserKey] = user;
            return user;
        }
    }

    private async Task<UserId> AuthenticateBearerAsync(string authorization, CancellationToken cancellationToken)
    {
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw Unauthorized("The Authorization header must carry a bearer token.");
        }

        var result = await jwt.ValidateAsync(authorization[BearerPrefix.Length..].Trim(), cancellationToken);
        if (!result.IsValid)
        {
            throw Unauthorized($"The bearer token is not valid: {result.FailureReason}");
        }

        if (!UserId.TryParse(result.UserId, out var user, out _))
        {
            throw Unauthorized("The bearer token's oid is not a valid user id.");
        }

        // A fingerprint names a certificate user; only that certificate proves it. Otherwise an
        // issuer trusted for its own users could speak for any certificate user, the first
        // Administrator included, by putting the certificate's digest in "oid".
        return user.Kind == UserIdKind.Certificate
            ? throw Unauthorized("The bearer token's oid has the form of a certificate fingerprint; certificate users authenticate with their certificate.")
            : user;
    }

    private static ApiException Unauthorized(string message) => new(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, message);
}
