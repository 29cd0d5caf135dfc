using System.Buffers.Text;
using System.Text.Json;

namespace Vellum.Core.Claims;

/// <summary>
/// Shape checks shared by the claim and receipt parsers. Every failure is a
/// <see cref="FormatException"/> whose message starts with the JSON path of the offending value,
/// so that a caller can tell exactly which field of a large document is wrong.
/// </summary>
internal static class JsonFields
{
    /// <summary>
    /// The properties of an object, by name. Duplicate names are refused, because two parsers
    /// could otherwise disagree about which value counts. With <paramref name="acceptSnakeCase"/>
    /// the names are first converted to camelCase, as ACL's Python verifier does.
    /// </summary>
    public static Dictionary<string, JsonElement> ReadObject(JsonElement element, string path, bool acceptSnakeCase)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"must be an object, not {Describe(element.ValueKind)}");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var spellings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = acceptSnakeCase ? ToCamelCase(property.Name) : property.Name;
            if (!spellings.TryAdd(name, property.Name))
            {
                var other = spellings[name];
                throw Error(path, other == property.Name
                    ? $"has the key \"{name}\" twice"
                    : $"has both \"{other}\" and \"{property.Name}\"; give only one");
            }

            fields[name] = property.Value;
        }

        return fields;
    }

    /// <summary>The required property <paramref name="name"/>, of any type.</summary>
    public static JsonElement Require(Dictionary<string, JsonElement> fields, string name, string path)
    {
        if (!fields.TryGetValue(name, out var value))
        {
            throw Error(path, $"is missing the required field \"{name}\"");
        }

        return value;
    }

    /// <summary>The required string property <paramref name="name"/>.</summary>
    public static string RequireString(Dictionary<string, JsonElement> fields, string name, string path) =>
        GetString(Require(fields, name, path), $"{path}.{name}");

    /// <summary>The string value of <paramref name="element"/>.</summary>
    public static string GetString(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Error(path, $"must be a string, not {Describe(element.ValueKind)}");
        }

        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            // System.Text.Json refuses strings with unpaired surrogate escapes.
            throw Error(path, $"is not a valid string ({exception.Message})");
        }
    }

    /// <summary>The elements of the array <paramref name="element"/>.</summary>
    public static IEnumerable<JsonElement> GetArray(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, $"must be an array, not {Describe(element.ValueKind)}");
        }

        return element.EnumerateArray();
    }

    /// <summary>Parses 64 hexadecimal characters.</summary>
    public static Sha256Hash ParseHash(string text, string path)
    {
        if (!Sha256Hash.TryParseHex(text, out var hash))
        {
            throw Error(path, $"must be 64 hexadecimal characters, got \"{Truncate(text)}\"");
        }

        return hash;
    }

    /// <summary>Decodes standard, padded base64, refusing anything else.</summary>
    public static byte[] ParseBase64(string text, string path)
    {
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        if (!Convert.TryFromBase64String(text, bytes, out var written) || text.Length % 4 != 0 || HasWhiteSpace(text))
        {
            throw Error(path, $"is not valid base64: \"{Truncate(text)}\"");
        }

        return bytes[..written];
    }

    /// <summary>A parse error located at <paramref name="path"/>.</summary>
    public static FormatException Error(string path, string message) => new($"{path} {message}.");

    /// <summary>Converts <c>snake_case</c> to <c>camelCase</c>; camelCase names pass unchanged.</summary>
    public static string ToCamelCase(string name)
    {
        if (!name.Contains('_', StringComparison.Ordinal))
        {
            return name;
        }

        var parts = name.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static bool HasWhiteSpace(string text) => text.AsSpan().IndexOfAny(" \t\r\n") >= 0;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
