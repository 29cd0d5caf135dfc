using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Node.Access;
using Vellum.Node.Authentication;
using Vellum.Node.Governance;

namespace Vellum.Node.Api;

/// <summary>
/// <c>/app/roles</c>: read, define (PUT), redefine (PATCH) and remove custom roles. Bodies may be
/// the specification's bare array or the wrapped snake_case shape ACL's documentation sends.
/// </summary>
internal static class RoleRoutes
{
    public static void Map(IEndpointRouteBuilder routes, NodeContext node, AccessLedger access)
    {
        routes.MapGet("/app/roles", context => GetAsync(context, access)).RequiresAction(LedgerActions.RoleDefinitionsRead);
        routes.MapPut("/app/roles", context => DefineAsync(context, node, access, mustExist: false)).RequiresAction(LedgerActions.RoleDefinitionsWrite);
        routes.MapPatch("/app/roles", context => DefineAsync(context, node, access, mustExist: true)).RequiresAction(LedgerActions.RoleDefinitionsWrite);
        routes.MapDelete("/app/roles", context => DeleteAsync(context, access)).RequiresAction(LedgerActions.RoleDefinitionsDelete);
    }

    // Without roleName, every role is listed: the built-in ones first.
    private static Task GetAsync(HttpContext context, AccessLedger access)
    {
        var name = RequestReading.OptionalQuery(context, "roleName");
        IReadOnlyList<RoleDefinition> roles = name is null
            ? access.Control.Roles
            : [new RoleDefinition(RoleNames.Normalize(name), access.Control.GetRole(name) ?? throw RoleNotFound(name))];
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, roles, static (writer, roles) => RoleDefinitionsJson.Write(writer, roles));
    }

    private static async Task DefineAsync(HttpContext context, NodeContext node, AccessLedger access, bool mustExist)
    {
        RequestReading.RequireContentType(context, "application/json", "application/merge-patch+json");
        var body = await RequestReading.ReadBodyAsync(context, node.Options.MaxRequestBodyBytes);
        IReadOnlyList<RoleDefinition> roles;
        try
        {
            roles = RoleDefinitionsJson.Parse(body);
        }
        catch (AccessFormatException exception)
        {
            throw ApiException.BadRequest(exception.Code?.ToString() ?? ErrorCodes.InvalidRequestBody, exception.Message);
        }

        if (mustExist && roles.FirstOrDefault(role => access.Control.GetRole(role.Name) is null) is { } missing)
        {
            throw RoleNotFound(missing.Name);
        }

        var id = await access.ChangeAsync([.. roles.Select(role => AccessChange.SetRole(role.Name, role.Actions))], context.RequestAborted);
        context.Response.Headers[TransactionIdHeader.Name] = id.ToString();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private static async Task DeleteAsync(HttpContext context, AccessLedger access)
    {
        var name = RequestReading.OptionalQuery(context, "roleName")
            ?? throw ApiException.BadRequest(ErrorCodes.InvalidQueryParameter, "The query parameter roleName is required.");
        if (access.Control.GetRole(name) is null)
        {
            throw RoleNotFound(name);
        }

        var id = await access.ChangeAsync([AccessChange.RemoveRole(name)], context.RequestAborted);
        context.Response.Headers[TransactionIdHeader.Name] = id.ToString();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentLength = 0;
    }

    private static ApiException RoleNotFound(string name)
        => ApiException.NotFound(nameof(AccessRejectionCode.RoleNotFound), $"There is no role \"{name}\".");
}
