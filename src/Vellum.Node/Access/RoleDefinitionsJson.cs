using System.Buffers;
using System.Text.Json;

namespace Vellum.Node.Access;

/// <summary>
/// The bodies of <c>/app/roles</c>. ACL's specification and .NET client send a bare camelCase
/// array, <c>[{"roleName":"…","roleActions":["…"]}]</c>; its programming guide sends a wrapped
/// snake_case object, <c>{"roles":[{"role_name":"…","role_actions":["…"]}]}</c>. Both are
/// accepted; other keys of a role object (the specification's <c>description</c>) are ignored.
/// Responses use the bare camelCase array.
/// </summary>
public static class RoleDefinitionsJson
{
    private const string What = "The role definitions body";

    /// <summary>
    /// Parses a request body: 1 to <see cref="AccessLimits.MaxRolesPerRequest"/> roles with
    /// distinct names, each granting 1 to <see cref="AccessLimits.MaxActionsPerRole"/> actions
    /// (repeated actions are dropped). Names and actions are checked for length and control
    /// characters; whether a name is built-in or in use is for <see cref="AccessControl.Validate(AccessChange)"/>.
    /// </summary>
    /// <exception cref="AccessFormatException">The body is malformed; the message names the offending field.</exception>
    public static IReadOnlyList<RoleDefinition> Parse(ReadOnlySpan<byte> utf8)
    {
        using var document = AccessJson.ParseDocument(utf8, What);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return ReadRoles(root, "body", "roleName", "roleActions");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw AccessJson.Error("body", "must be an array of roles or an object with \"roles\"");
        }

        var fields = AccessJson.ReadObject(root, "body");
        AccessJson.RefuseUnknown(fields, "body", "roles");
        var roles = AccessJson.Require(fields, "roles", "body");
        if (roles.ValueKind != JsonValueKind.Array)
        {
            throw AccessJson.Error("body.roles", "must be an array of roles");
        }

        return ReadRoles(roles, "body.roles", "role_name", "role_actions");
    }

    /// <summary>Writes roles as the bare camelCase array that <c>GET /app/roles</c> returns.</summary>
    public static void Write(Utf8JsonWriter writer, IEnumerable<RoleDefinition> roles)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(roles);
        writer.WriteStartArray();
        foreach (var role in roles)
        {
            writer.WriteStartObject();
            writer.WriteString("roleName", role.Name);
            writer.WriteStartArray("roleActions");
            foreach (var action in role.Actions)
            {
                writer.WriteStringValue(action);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The bare camelCase array of <paramref name="roles"/> as UTF-8 JSON.</summary>
    public static byte[] Serialize(IEnumerable<RoleDefinition> roles)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, AccessJson.WriterOptions))
        {
            Write(writer, roles);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static List<RoleDefinition> ReadRoles(JsonElement array, string path, string nameKey, string actionsKey)
    {
        var count = array.GetArrayLength();
        if (count == 0)
        {
            throw AccessJson.Error(path, "has no roles");
        }

        if (count > AccessLimits.MaxRolesPerRequest)
        {
            throw AccessJson.Error(path, $"has {count} roles; the limit is {AccessLimits.MaxRolesPerRequest}");
        }

        var roles = new List<RoleDefinition>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in array.EnumerateArray())
        {
            var rolePath = $"{path}[{roles.Count}]";
            var role = ReadRole(element, rolePath, nameKey, actionsKey);
            if (!names.Add(role.Name))
            {
                throw AccessJson.Error($"{rolePath}.{nameKey}", $"repeats the role \"{role.Name}\"");
            }

            roles.Add(role);
        }

        return roles;
    }

    private static RoleDefinition ReadRole(JsonElement element, string path, string nameKey, string actionsKey)
    {
        var fields = AccessJson.ReadObject(element, path);
        var namePath = $"{path}.{nameKey}";
        var name = AccessJson.GetString(AccessJson.Require(fields, nameKey, path), namePath);
        var nameProblem = RoleNames.FindProblemDefining(name);
        if (nameProblem is not null)
        {
            throw AccessJson.Error(namePath, $"is invalid: {nameProblem}", AccessRejectionCode.InvalidRoleName);
        }

        var actionsPath = $"{path}.{actionsKey}";
        var listed = AccessJson.Require(fields, actionsKey, path);
        if (listed.ValueKind == JsonValueKind.Array && listed.GetArrayLength() > AccessLimits.MaxActionsPerRole)
        {
            throw AccessJson.Error(actionsPath, $"has {listed.GetArrayLength()} actions; the limit is {AccessLimits.MaxActionsPerRole}", AccessRejectionCode.TooManyActions);
        }

        var actions = AccessJson.GetStringArray(listed, actionsPath, AccessLimits.MaxActionsPerRole, "actions");
        if (actions.Count == 0)
        {
            throw AccessJson.Error(actionsPath, "has no actions", AccessRejectionCode.EmptyActionList);
        }

        for (var i = 0; i < actions.Count; i++)
        {
            var problem = LedgerActions.FindProblem(actions[i]);
            if (problem is not null)
            {
                throw AccessJson.Error($"{actionsPath}[{i}]", $"is invalid: {problem}", AccessRejectionCode.InvalidAction);
            }
        }

        return new RoleDefinition(name, actions.Distinct(StringComparer.Ordinal).ToArray().AsReadOnly());
    }
}
