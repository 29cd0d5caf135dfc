using System.Text;
using System.Text.Json;
using Vellum.Client;

namespace Vellum.Cli.Output;

/// <summary>
/// Writes the <c>--json</c> output of the ledger commands: one indented JSON document on standard
/// output, with the camelCase field names docs/cli.md lists, so that scripts can rely on them.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the document <paramref name="write"/> produces, and a newline.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>An entry: <c>{"transactionId","collectionId","contents","tags"}</c>.</summary>
    public static void WriteEntry(Utf8JsonWriter writer, LedgerEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("transactionId", entry.TransactionId.ToString());
        writer.WriteString("collectionId", entry.CollectionId);
        writer.WriteString("contents", entry.Contents);
        WriteStrings(writer, "tags", entry.Tags);
        writer.WriteEndObject();
    }

    /// <summary>A user: <c>{"userId","assignedRoles"}</c>.</summary>
    public static void WriteUser(Utf8JsonWriter writer, LedgerUserMultipleRoles user)
    {
        writer.WriteStartObject();
        writer.WriteString("userId", user.UserId);
        WriteStrings(writer, "assignedRoles", user.AssignedRoles);
        writer.WriteEndObject();
    }

    /// <summary>A role: <c>{"roleName","roleActions"}</c>.</summary>
    public static void WriteRole(Utf8JsonWriter writer, LedgerRole role)
    {
        writer.WriteStartObject();
        writer.WriteString("roleName", role.RoleName);
        WriteStrings(writer, "roleActions", role.RoleActions);
        writer.WriteEndObject();
    }

    /// <summary>A named array of strings.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
