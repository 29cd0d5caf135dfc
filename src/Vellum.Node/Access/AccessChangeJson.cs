using System.Buffers;
using System.Text.Json;

namespace Vellum.Node.Access;

/// <summary>
/// The JSON form of an <see cref="AccessRecord"/>: version 1 for a record of one change, version 2
/// for several. The format is documented on <see cref="AccessRecord"/>.
/// </summary>
internal static class AccessChangeJson
{
    private const int SingleChangeVersion = 1;
    private const int SeveralChangesVersion = 2;
    private const string What = "The access change record";
    private const string RecordPath = "record";
    private const string VersionField = "v";
    private const string ChangesField = "changes";
    private const string ChangeField = "change";
    private const string UserIdField = "userId";
    private const string RolesField = "roles";
    private const string RoleField = "role";
    private const string ActionsField = "actions";
    private const string SetUserRolesName = "setUserRoles";
    private const string RemoveUserName = "removeUser";
    private const string SetRoleName = "setRole";
    private const string RemoveRoleName = "removeRole";

    /// <summary>
    /// The record of <paramref name="changes"/>: version 1 for one change, so that nodes of earlier
    /// builds still read the common case, and version 2 only for more.
    /// </summary>
    public static byte[] Write(IReadOnlyList<AccessChange> changes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, AccessJson.WriterOptions))
        {
            writer.WriteStartObject();
            if (changes.Count == 1)
            {
                writer.WriteNumber(VersionField, SingleChangeVersion);
                WriteChange(writer, changes[0]);
            }
            else
            {
                writer.WriteNumber(VersionField, SeveralChangesVersion);
                writer.WriteStartArray(ChangesField);
                foreach (var change in changes)
                {
                    writer.WriteStartObject();
                    WriteChange(writer, change);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static AccessRecord Parse(ReadOnlySpan<byte> utf8)
    {
        using var document = AccessJson.ParseDocument(utf8, What);
        var fields = AccessJson.ReadObject(document.RootElement, RecordPath);
        var version = ReadVersion(fields);

        // A version 1 record is its one change's fields plus the version; the change objects of
        // version 2 have no version of their own, so one there is an unknown field.
        fields.Remove(VersionField);
        return new AccessRecord(version == SingleChangeVersion ? [ReadChange(fields, RecordPath)] : ReadChanges(fields));
    }

    private static int ReadVersion(Dictionary<string, JsonElement> fields)
    {
        var element = AccessJson.Require(fields, VersionField, RecordPath);
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var version) && version is SingleChangeVersion or SeveralChangesVersion
            ? version
            : throw AccessJson.Error($"{RecordPath}.{VersionField}", $"is {element.GetRawText()}; only versions {SingleChangeVersion} and {SeveralChangesVersion} are known");
    }

    private static List<AccessChange> ReadChanges(Dictionary<string, JsonElement> fields)
    {
        AccessJson.RefuseUnknown(fields, RecordPath, ChangesField);
        var path = $"{RecordPath}.{ChangesField}";
        var array = AccessJson.Require(fields, ChangesField, RecordPath);
        var count = AccessJson.GetArrayLength(array, path, AccessLimits.MaxChangesPerRecord, "changes");
        if (count < 2)
        {
            // One change is always written as version 1, so this record was not written by a node.
            throw AccessJson.Error(path, $"has {count} change(s); a version {SeveralChangesVersion} record has at least 2, a single change is a version {SingleChangeVersion} record");
        }

        var changes = new List<AccessChange>(count);
        foreach (var element in array.EnumerateArray())
        {
            var changePath = $"{path}[{changes.Count}]";
            changes.Add(ReadChange(AccessJson.ReadObject(element, changePath), changePath));
        }

        return changes;
    }

    private static AccessChange ReadChange(Dictionary<string, JsonElement> fields, string path)
    {
        var kind = AccessJson.GetString(AccessJson.Require(fields, ChangeField, path), $"{path}.{ChangeField}");
        AccessChange change = kind switch
        {
            SetUserRolesName => ReadSetUserRoles(fields, path),
            RemoveUserName => ReadRemoveUser(fields, path),
            SetRoleName => ReadSetRole(fields, path),
            RemoveRoleName => ReadRemoveRole(fields, path),
            _ => throw AccessJson.Error($"{path}.{ChangeField}", $"is \"{kind}\", not one of {SetUserRolesName}, {RemoveUserName}, {SetRoleName}, {RemoveRoleName}"),
        };

        var problem = change.FindShapeProblem();
        return problem is null ? change : throw AccessJson.Error(path, $"is invalid ({problem.Code}): {problem.Message}");
    }

    private static SetUserRolesChange ReadSetUserRoles(Dictionary<string, JsonElement> fields, string path)
    {
        AccessJson.RefuseUnknown(fields, path, ChangeField, UserIdField, RolesField);
        var user = ReadUserId(fields, path);
        var rolesPath = $"{path}.{RolesField}";
        var roles = AccessJson.GetStringArray(AccessJson.Require(fields, RolesField, path), rolesPath, AccessLimits.MaxRolesPerUser, "roles");
        AccessJson.RefuseDuplicates(roles, rolesPath);
        for (var i = 0; i < roles.Count; i++)
        {
            if (!string.Equals(roles[i], RoleNames.Normalize(roles[i]), StringComparison.Ordinal))
            {
                throw AccessJson.Error($"{rolesPath}[{i}]", $"is \"{roles[i]}\"; a built-in role is written \"{RoleNames.Normalize(roles[i])}\"");
            }
        }

        return new SetUserRolesChange(user, roles.AsReadOnly());
    }

    private static RemoveUserChange ReadRemoveUser(Dictionary<string, JsonElement> fields, string path)
    {
        AccessJson.RefuseUnknown(fields, path, ChangeField, UserIdField);
        return new RemoveUserChange(ReadUserId(fields, path));
    }

    private static SetRoleChange ReadSetRole(Dictionary<string, JsonElement> fields, string path)
    {
        AccessJson.RefuseUnknown(fields, path, ChangeField, RoleField, ActionsField);
        var name = AccessJson.GetString(AccessJson.Require(fields, RoleField, path), $"{path}.{RoleField}");
        var actionsPath = $"{path}.{ActionsField}";
        var actions = AccessJson.GetStringArray(AccessJson.Require(fields, ActionsField, path), actionsPath, AccessLimits.MaxActionsPerRole, "actions");
        AccessJson.RefuseDuplicates(actions, actionsPath);
        return new SetRoleChange(name, actions.AsReadOnly());
    }

    private static RemoveRoleChange ReadRemoveRole(Dictionary<string, JsonElement> fields, string path)
    {
        AccessJson.RefuseUnknown(fields, path, ChangeField, RoleField);
        return new RemoveRoleChange(AccessJson.GetString(AccessJson.Require(fields, RoleField, path), $"{path}.{RoleField}"));
    }

    // The record stores the canonical form only, so any other spelling was not written by us.
    private static UserId ReadUserId(Dictionary<string, JsonElement> fields, string path)
    {
        var userPath = $"{path}.{UserIdField}";
        var text = AccessJson.GetString(AccessJson.Require(fields, UserIdField, path), userPath);
        if (!UserId.TryParse(text, out var user, out var error))
        {
            throw AccessJson.Error(userPath, $"is not a user id: {error}");
        }

        return string.Equals(text, user.Canonical, StringComparison.Ordinal)
            ? user
            : throw AccessJson.Error(userPath, $"is \"{text}\", not in canonical form \"{user.Canonical}\"");
    }

    // The fields of one change, without the version: the whole of a version 2 change object.
    private static void WriteChange(Utf8JsonWriter writer, AccessChange change)
    {
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
