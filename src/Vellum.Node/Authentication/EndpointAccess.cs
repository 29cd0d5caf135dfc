using Microsoft.AspNetCore.Builder;

namespace Vellum.Node.Authentication;

/// <summary>Endpoint metadata: the action a caller's roles must grant.</summary>
internal sealed record RequiredAction(string Action);

/// <summary>
/// Endpoint metadata: the caller must hold this built-in role itself. For operations outside ACL's
/// action set (cluster membership), which no custom role can be granted.
/// </summary>
internal sealed record RequiredRole(string Role);

/// <summary>Endpoint metadata: the route serves anyone, without authentication.</summary>
internal sealed record AnonymousAccess;

/// <summary>Declares, next to each route, who may call it; a route without a declaration fails the node's start.</summary>
internal static class EndpointAccess
{
    public static TBuilder RequiresAction<TBuilder>(this TBuilder builder, string action)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new RequiredAction(action));

    public static TBuilder RequiresRole<TBuilder>(this TBuilder builder, string role)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new RequiredRole(role));

    public static TBuilder AllowsAnonymous<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new AnonymousAccess());
}
