using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vellum.Node.Access;

/// <summary>
/// JSON reading and writing shared by the access record and <c>/app/roles</c> parsers. Every
/// failure is an <see cref="AccessFormatException"/> whose message starts with the JSON path of
/// the offending value.
/// </summary>
internal static class AccessJson
{
    /// <summary>
    /// Leaves <c>/</c>, <c>+</c> and non-ASCII letters unescaped so records read as written. The
    /// output is API and ledger JSON, never embedded in HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses exactly one JSON value, refusing trailing content, comments and invalid UTF-8.</summary>
    public static JsonDocument ParseDocument(ReadOnlySpan<byte> utf8, string what)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                throw new AccessFormatException($"{what} has content after its JSON value.");
            }

            return document;
        }
        catch (JsonException exception)
        {
            throw new AccessFormatException($"{what} is not valid JSON: {exception.Message}", exception);
        }
    }

    /// <summary>The properties of an object by name; a repeated name is refused, since parsers could disagree on which counts.</summary>
    public static Dictionary<string, JsonElement> ReadObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"must be an object, not {Describe(element.ValueKind)}");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = PropertyName(property, path);
            if (!fields.TryAdd(name, property.Value))
            {
                throw Error(path, $"has the key \"{name}\" twice");
            }
        }

        return fields;
    }

    /// <summary>Refuses any key of <paramref name="fields"/> not in <paramref name="allowed"/>.</summary>
    public static void RefuseUnknown(Dictionary<string, JsonElement> fields, string path, params ReadOnlySpan<string> allowed)
    {
        foreach (var name in fields.Keys)
        {
            if (!allowed.Contains(name))
            {
                throw Error(path, $"has the unknown field \"{name}\"");
            }
        }
    }

    /// <summary>The required property <paramref name="name"/>, of any type.</summary>
    public static JsonElement Require(Dictionary<string, JsonElement> fields, string name, string path) =>
        fields.TryGetValue(name, out var value) ? value : throw Error(path, $"is missing the required field \"{name}\"");

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
            // The parser checks structure only; invalid UTF-8 or an escaped lone surrogate
            // inside a string surfaces when the string is decoded.
            throw new AccessFormatException($"{path} is not valid Unicode text: {exception.Message}", exception);
        }
    }

    /// <summary>The length of <paramref name="element"/>, which must be an array of at most <paramref name="maxItems"/> items.</summary>
    public static int GetArrayLength(JsonElement element, string path, int maxItems, string itemUnit)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, $"must be an array, not {Describe(element.ValueKind)}");
        }

        var count = element.GetArrayLength();
        return count <= maxItems ? count : throw Error(path, $"has {count} {itemUnit}; the limit is {maxItems}");
    }

    /// <summary>The strings of an array of at most <paramref name="maxItems"/> strings.</summary>
    public static List<string> GetStringArray(JsonElement element, string path, int maxItems, string itemUnit)
    {
        var count = GetArrayLength(element, path, maxItems, itemUnit);
        var items = new List<string>(count);
        foreach (var item in element.EnumerateArray())
        {
            items.Add(GetString(item, $"{path}[{items.Count}]"));
        }

        return items;
    }

    /// <summary>Refuses a repeated string in <paramref name="items"/>, compared ordinally.</summary>
    public static void RefuseDuplicates(List<string> items, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (!seen.Add(items[i]))
            {
                throw Error($"{path}[{i}]", $"repeats \"{items[i]}\"");
            }
        }
    }

    /// <summary>A format error that starts with the JSON path of the offending value.</summary>
    public static AccessFormatException Error(string path, string problem, AccessRejectionCode? code = null)
        => code is { } known ? new($"{path} {problem.TrimEnd('.')}.", known) : new($"{path} {problem.TrimEnd('.')}.");

    private static string PropertyName(JsonProperty property, string path)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException exception)
        {
            throw new AccessFormatException($"{path} has a key that is not valid Unicode text: {exception.Message}", exception);
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
