using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vellum.Node.Access;
using Vellum.Node.Authentication;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// Every route, called over real TLS by every kind of caller: each role by client certificate and
/// by bearer token, a custom role, identities that are not users, and callers with no valid
/// identity. The expected status follows from the route's action and ACL-WIRE.md §5's role sets.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixNode node) : IClassFixture<MatrixNode>
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var route in ApiRoutes.All)
        {
            foreach (var caller in MatrixCaller.All)
            {
                cases.Add(route.Name, caller.Name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RouteAnswersTheCallerAsTheActionsOfItsRolesDecide(string routeName, string callerName)
    {
        var route = ApiRoutes.Named(routeName);
        var caller = MatrixCaller.Named(callerName);
        if (route.Prepare is not null)
        {
            await route.Prepare(node);
        }

        var lastSeqnoBefore = route.Writes ? await node.SettledLastSeqnoAsync() : 0;
        using var request = route.Build(node);

        using var response = await node.ClientFor(caller).SendAsync(request);

        var expected = caller.Expected(route);
        if (expected == HttpStatusCode.NoContent)
        {
            await ApiAssert.NoContentAsync(response);
        }
        else if (expected == route.Success)
        {
            await ApiAssert.StatusAsync(response, expected);
        }
        else
        {
            await ApiAssert.ErrorAsync(response, expected, expected == HttpStatusCode.Unauthorized ? "Unauthorized" : "Forbidden");
            if (route.Writes)
            {
                Assert.Equal(lastSeqnoBefore, await node.SettledLastSeqnoAsync());
            }
        }
    }

    [Fact]
    public void TheMatrixListsEveryRouteTheNodeMapsWithTheActionItRequires()
    {
        var mapped = MappedRoutes(node.Node.Node).Order().ToList();
        var listed = ApiRoutes.All.Select(route => $"{route.Name} -> {route.Access}").Order().ToList();

        Assert.Equal(mapped, listed);
    }

    [Fact]
    public void TheMatrixHasEveryKindOfCallerAndRouteItPromises()
    {
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(route => route.Name).Distinct().Count());
        Assert.Equal(15, ApiRoutes.All.Count(route => route.IsAnonymous));
        Assert.Contains(ApiRoutes.All, route => route.Role == RoleNames.Administrator);
        Assert.Contains(MatrixCaller.All, caller => caller.Role == MatrixNode.CustomRole && caller.Credential == CallerCredential.BearerToken);
        Assert.Contains(MatrixCaller.All, caller => caller.Role == MatrixNode.CustomRole && caller.Credential == CallerCredential.Certificate);

        // The custom role must both grant and withhold routes, or it tells nothing the built-in roles do not.
        var custom = MatrixCaller.All.First(caller => caller.Role == MatrixNode.CustomRole);
        var outcomes = ApiRoutes.All.Where(route => !route.IsAnonymous).Select(custom.Expected).Distinct().ToList();
        Assert.Contains(HttpStatusCode.Forbidden, outcomes);
        Assert.Contains(HttpStatusCode.OK, outcomes);
        Assert.Contains(HttpStatusCode.NoContent, outcomes);
    }

    // The node keeps its endpoints to itself; reading them here means a route added to the node
    // without a matrix entry (or with a different action) fails this test instead of going untested.
    private static IEnumerable<string> MappedRoutes(VellumNode vellum)
    {
        var field = typeof(VellumNode).GetField("_app", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("VellumNode no longer keeps its WebApplication in _app; update this test.");
        var routes = (IEndpointRouteBuilder)field.GetValue(vellum)!;
        foreach (var endpoint in routes.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>())
        {
            var role = endpoint.Metadata.GetMetadata<RequiredRole>()?.Role;
            var action = endpoint.Metadata.GetMetadata<RequiredAction>()?.Action ?? (role is null ? "anonymous" : $"role {role}");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
            {
                yield return $"{method} {endpoint.RoutePattern.RawText} -> {action}";
            }
        }
    }
}
