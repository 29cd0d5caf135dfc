using System.Buffers;
using System.Text.Json;

namespace Vellum.Node.Access;

/// <summary>The version 1 JSON form of <see cref="AccessChange"/>; the format is documented there.</summary>
internal static class AccessChangeJson
{
    private const int Version = 1;
    private const string What = "The access change record";
    private const string VersionField = "v";
    private const string ChangeField = "change";
    private const string UserIdField = "userId";
    private const string RolesField = "roles";
    private const string RoleField = "role";
    private const string ActionsField = "actions";
    private const string SetUserRolesName = "setUserRoles";
    private const string RemoveUserName = "removeUser";
    private const string SetRoleName = "setRole";
    private const string RemoveRoleName = "removeRole";

    public static byte[] Write(AccessChange change)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, AccessJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber(VersionField, Version);
            switch (change)
            {
                case SetUserRolesChange setUser:
                    writer.WriteString(ChangeField, SetUserRolesName);
                    writer.WriteString(UserIdField, setUser.User.Canonical);
                    WriteArray(writer, RolesField, setUser.Roles);
                    break;
                case RemoveUserChange removeUser:
                    writer.WriteString(ChangeField, RemoveUserName);
                    writer.WriteString(UserIdField, removeUser.User.Canonical);
                    break;
                case SetRoleChange setRole:
                    writer.WriteString(ChangeField, SetRoleName);
                    writer.WriteString(RoleField, setRole.Name);
                    WriteArray(writer, ActionsField, setRole.Actions);
                    break;
                case RemoveRoleChange removeRole:
                    writer.WriteString(ChangeField, RemoveRoleName);
                    writer.WriteString(RoleField, removeRole.Name);
                    break;
                default:
                    Core.Invariant.Check(false, $"access change kind {change.Kind} has a JSON form");
                    break;
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static AccessChange Parse(ReadOnlySpan<byte> utf8)
    {
        using var document = AccessJson.ParseDocument(utf8, What);
        var fields = AccessJson.ReadObject(document.RootElement, "record");
        ReadVersion(fields);
        var kind = AccessJson.GetString(AccessJson.Require(fields, ChangeField, "record"), $"record.{ChangeField}");
        AccessChange change = kind switch
        {
            SetUserRolesName => ReadSetUserRoles(fields),
            RemoveUserName => ReadRemoveUser(fields),
            SetRoleName => ReadSetRole(fields),
            RemoveRoleName => ReadRemoveRole(fields),
            _ => throw AccessJson.Error($"record.{ChangeField}", $"is \"{kind}\", not one of {SetUserRolesName}, {RemoveUserName}, {SetRoleName}, {RemoveRoleName}"),
        };

        var problem = change.FindShapeProblem();
        return problem is null ? change : throw new AccessFormatException($"{What} is invalid ({problem.Code}): {problem.Message}");
    }

    private static void ReadVersion(Dictionary<string, JsonElement> fields)
    {
        var element = AccessJson.Require(fields, VersionField, "record");
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var version) || version != Version)
        {
            throw AccessJson.Error($"record.{VersionField}", $"is {element.GetRawText()}; only version {Version} is known");
        }
    }

    private static SetUserRolesChange ReadSetUserRoles(Dictionary<string, JsonElement> fields)
    {
        AccessJson.RefuseUnknown(fields, "record", VersionField, ChangeField, UserIdField, RolesField);
        var user = ReadUserId(fields);
        var path = $"record.{RolesField}";
        var roles = AccessJson.GetStringArray(AccessJson.Require(fields, RolesField, "record"), path, AccessLimits.MaxRolesPerUser, "roles");
        AccessJson.RefuseDuplicates(roles, path);
        for (var i = 0; i < roles.Count; i++)
        {
            if (!string.Equals(roles[i], RoleNames.Normalize(roles[i]), StringComparison.Ordinal))
            {
                throw AccessJson.Error($"{path}[{i}]", $"is \"{roles[i]}\"; a built-in role is written \"{RoleNames.Normalize(roles[i])}\"");
            }
        }

        return new SetUserRolesChange(user, roles.AsReadOnly());
    }

    private static RemoveUserChange ReadRemoveUser(Dictionary<string, JsonElement> fields)
    {
        AccessJson.RefuseUnknown(fields, "record", VersionField, ChangeField, UserIdField);
        return new RemoveUserChange(ReadUserId(fields));
    }

    private static SetRoleChange ReadSetRole(Dictionary<string, JsonElement> fields)
    {
        AccessJson.RefuseUnknown(fields, "record", VersionField, ChangeField, RoleField, ActionsField);
        var name = AccessJson.GetString(AccessJson.Require(fields, RoleField, "record"), $"record.{RoleField}");
        var path = $"record.{ActionsField}";
        var actions = AccessJson.GetStringArray(AccessJson.Require(fields, ActionsField, "record"), path, AccessLimits.MaxActionsPerRole, "actions");
        AccessJson.RefuseDuplicates(actions, path);
        return new SetRoleChange(name, actions.AsReadOnly());
    }

    private static RemoveRoleChange ReadRemoveRole(Dictionary<string, JsonElement> fields)
    {
        AccessJson.RefuseUnknown(fields, "record", VersionField, ChangeField, RoleField);
        return new RemoveRoleChange(AccessJson.GetString(AccessJson.Require(fields, RoleField, "record"), $"record.{RoleField}"));
    }

    // The record stores the canonical form only, so any other spelling was not written by us.
    private static UserId ReadUserId(Dictionary<string, JsonElement> fields)
    {
        var path = $"record.{UserIdField}";
        var text = AccessJson.GetString(AccessJson.Require(fields, UserIdField, "record"), path);
        if (!UserId.TryParse(text, out var user, out var error))
        {
            throw AccessJson.Error(path, $"is not a user id: {error}");
        }

        return string.Equals(text, user.Canonical, StringComparison.Ordinal)
            ? user
            : throw AccessJson.Error(path, $"is \"{text}\", not in canonical form \"{user.Canonical}\"");
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
