namespace Vellum.Node.Access;

/// <summary>Checks shared by user ids, role names and actions: length, control characters, broken UTF-16.</summary>
internal static class AccessText
{
    /// <summary>
    /// Why <paramref name="text"/> is not acceptable, or null when it is. Lone surrogates are
    /// refused because they cannot be written as UTF-8 JSON, so such a value could never be
    /// recorded in the ledger.
    /// </summary>
    public static string? FindProblem(string text, int maxLengthChars, bool refuseWhitespaceAndSlash)
    {
        if (text.Length == 0)
        {
            return "is empty";
        }

        if (text.Length > maxLengthChars)
        {
            return $"is {text.Length} characters long; the limit is {maxLengthChars}";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4} at index {i}";
            }

            if (refuseWhitespaceAndSlash && (char.IsWhiteSpace(c) || c == '/'))
            {
                return c == '/' ? $"contains '/' at index {i}" : $"contains whitespace at index {i}";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"contains an unpaired surrogate at index {i}";
            }
        }

        return null;
    }
}
