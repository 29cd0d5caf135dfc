using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Node.Access;
using Vellum.Node.Authentication;
using Vellum.Node.Governance;

namespace Vellum.Node.Api;

/// <summary>
/// <c>/app/users</c> (one role per user, <c>assignedRole</c>) and <c>/app/ledgerUsers</c> (several,
/// <c>assignedRoles</c>): two views of the same users. Responses echo the user id as the caller wrote it.
/// </summary>
internal static class UserRoutes
{
    public static void Map(IEndpointRouteBuilder routes, NodeContext node, AccessLedger access)
    {
        routes.MapGet("/app/users", context => ListAsync(context, access, multipleRoles: false)).RequiresAction(LedgerActions.UsersReadAll);
        routes.MapGet("/app/ledgerUsers", context => ListAsync(context, access, multipleRoles: true)).RequiresAction(LedgerActions.UsersReadAll);
        foreach (var (path, multipleRoles) in new[] { ("/app/users/{userId}", false), ("/app/ledgerUsers/{userId}", true) })
        {
            routes.MapGet(path, context => GetAsync(context, access, multipleRoles)).RequiresAction(LedgerActions.UsersRead);
            routes.MapPatch(path, context => PatchAsync(context, node, access, multipleRoles)).RequiresAction(LedgerActions.UsersWrite);
            routes.MapDelete(path, context => DeleteAsync(context, access)).RequiresAction(LedgerActions.UsersDelete);
        }
    }

    private static Task ListAsync(HttpContext context, AccessLedger access, bool multipleRoles)
        => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, access.Control.Users, (writer, users) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("ledgerUsers");
            foreach (var user in users)
            {
                WriteUser(writer, user.User.Canonical, user.Roles, multipleRoles);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private static Task GetAsync(HttpContext context, AccessLedger access, bool multipleRoles)
    {
        var user = AccessInput.PathUserId(context);
        var roles = access.Control.GetUser(user) ?? throw UserNotFound(user);
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer => WriteUser(writer, user.Original, roles, multipleRoles));
    }

    private static async Task PatchAsync(HttpContext context, NodeContext node, AccessLedger access, bool multipleRoles)
    {
        var user = AccessInput.PathUserId(context);
        IReadOnlyList<string>? roles;
        using (var body = await AccessInput.ReadObjectAsync(context, node))
        {
            roles = multipleRoles
                ? AccessInput.OptionalRoles(body.RootElement, "assignedRoles")
                : AccessInput.OptionalRole(body.RootElement, "assignedRole") is { } role ? [role] : null;
        }

        // A merge patch without roles changes nothing, which only makes sense for an existing user.
        roles ??= access.Control.GetUser(user)
            ?? throw ApiException.BadRequest(ErrorCodes.InvalidRequestBody, $"The body must give \"{(multipleRoles ? "assignedRoles" : "assignedRole")}\" to add a user.");

        // The change drops repeated roles; the answer shows the roles as recorded, not as sent.
        // Only an existing user's unchanged roles skip the change: a new user with an empty
        // list must reach validation and be refused, not be answered as if added.
        var change = AccessChange.SetUserRoles(user, roles);
        roles = change.Roles;
        var current = access.Control.GetUser(user);
        if (current is null || !roles.SequenceEqual(current))
        {
            var id = await access.ChangeAsync([change], context.RequestAborted);
            context.Response.Headers[TransactionIdHeader.Name] = id.ToString();
        }

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer => WriteUser(writer, user.Original, roles, multipleRoles));
    }

    private static async Task DeleteAsync(HttpContext context, AccessLedger access)
    {
        var user = AccessInput.PathUserId(context);
        var id = await access.ChangeAsync([AccessChange.RemoveUser(user)], context.RequestAborted);
        context.Response.Headers[TransactionIdHeader.Name] = id.ToString();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentLength = 0;
    }

    private static void WriteUser(Utf8JsonWriter writer, string userId, IReadOnlyList<string> roles, bool multipleRoles)
    {
        writer.WriteStartObject();
        if (multipleRoles)
        {
            writer.WriteStartArray("assignedRoles");
            foreach (var role in roles)
            {
                writer.WriteStringValue(role);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("assignedRole", roles[0]);
        }

        writer.WriteString("userId", userId);
        writer.WriteEndObject();
    }

    private static ApiException UserNotFound(UserId user)
        => ApiException.NotFound(nameof(AccessRejectionCode.UserNotFound), $"There is no user {user.Original}.");
}
