using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Vellum.Node;

/// <summary>
/// Reads JSON strings from untrusted documents without exceptions: <see cref="JsonElement.GetString"/>
/// throws for text that is not valid Unicode (an escaped lone surrogate, or bytes that are not
/// UTF-8, which the parser does not check), which a request body, a token or a key set from the
/// network may contain.
/// </summary>
internal static class JsonStrings
{
    /// <summary>The value of <paramref name="element"/> if it is a string of valid Unicode text.</summary>
    public static bool TryGet(JsonElement element, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            value = element.GetString();
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return value is not null;
    }

    /// <summary>The member <paramref name="name"/> of <paramref name="obj"/> if it is a string of valid Unicode text.</summary>
    public static string? Member(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var member) && TryGet(member, out var value) ? value : null;
}
