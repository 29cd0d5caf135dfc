using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Vellum.Node.Access;

namespace Vellum.Node.Api;

/// <summary>Reads user ids from paths and the JSON bodies of the user and role routes.</summary>
internal static class AccessInput
{
    public static UserId PathUserId(HttpContext context)
    {
        var text = context.GetRouteValue("userId") as string;
        return UserId.TryParse(text, out var user, out var problem)
            ? user
            : throw ApiException.BadRequest("InvalidUserId", problem);
    }

    public static async Task<JsonDocument> ReadObjectAsync(HttpContext context, NodeContext node)
    {
        RequestReading.RequireContentType(context, "application/merge-patch+json", "application/json");
        var body = await RequestReading.ReadBodyAsync(context, node.Options.MaxRequestBodyBytes);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, RequestReading.BodyJson);
        }
        catch (JsonException exception)
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidRequestBody, $"The body is not valid JSON: {exception.Message}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw ApiException.BadRequest(ErrorCodes.InvalidRequestBody, "The body must be a JSON object.");
        }

        return document;
    }

    /// <summary>The role named by <paramref name="property"/>: a string, or absent (null).</summary>
    public static string? OptionalRole(JsonElement body, string property)
    {
        if (!body.TryGetProperty(property, out var value))
        {
            return null;
        }

        return JsonStrings.TryGet(value, out var role)
            ? RoleNames.Normalize(role)
            : throw ApiException.BadRequest(ErrorCodes.InvalidRequestBody, $"\"{property}\" must be a role name string of valid Unicode text.");
    }

    /// <summary>The roles listed by <paramref name="property"/>: an array of strings, or absent (null).</summary>
    public static IReadOnlyList<string>? OptionalRoles(JsonElement body, string property)
    {
        if (!body.TryGetProperty(property, out var value))
        {
            return null;
        }

        ApiException Refusal() => ApiException.BadRequest(ErrorCodes.InvalidRequestBody, $"\"{property}\" must be an array of role name strings of valid Unicode text.");
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Refusal();
        }

        var roles = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            roles.Add(JsonStrings.TryGet(item, out var role) ? RoleNames.Normalize(role) : throw Refusal());
        }

        return roles;
    }
}
