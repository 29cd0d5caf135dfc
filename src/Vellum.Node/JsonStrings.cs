using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

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

    /// <summary>The name of <paramref name="member"/> if it is valid Unicode text.</summary>
    public static bool TryGetName(JsonProperty member, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = member.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }

    /// <summary>Whether the string or member name <paramref name="reader"/> is on is valid Unicode text.</summary>
    public static bool IsValidText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.HasValueSequence ? Utf8.IsValid(reader.ValueSequence.ToArray()) : Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Skips the value <paramref name="reader"/> is on, as <see cref="Utf8JsonReader.Skip"/> does,
    /// and says whether every string and member name in it was valid Unicode text: a member the
    /// reader ignores is still part of a body that must be valid JSON text.
    /// </summary>
    public static bool SkipCheckingText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return IsValidText(ref reader);
        }

        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return true;
        }

        var depth = reader.CurrentDepth;
        var valid = true;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            valid &= reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || IsValidText(ref reader);
        }

        return valid;
    }

    /// <summary>The member <paramref name="name"/> of <paramref name="obj"/> if it is a string of valid Unicode text.</summary>
    public static string? Member(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var member) && TryGet(member, out var value) ? value : null;
}
