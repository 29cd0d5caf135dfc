using System.Diagnostics.CodeAnalysis;

namespace Vellum.Node.Access;

/// <summary>
/// Role names. The three built-in roles are matched case-insensitively and always written
/// capitalised; custom role names are case-sensitive, 1 to
/// <see cref="AccessLimits.MaxRoleNameLengthChars"/> characters without control characters, and
/// may not equal a built-in name in any case, so that <c>reader</c> can never mean two roles.
/// </summary>
public static class RoleNames
{
    /// <summary>Reads, writes and manages users, roles and endpoints.</summary>
    public const string Administrator = "Administrator";

    /// <summary>Reads and writes.</summary>
    public const string Contributor = "Contributor";

    /// <summary>Reads only.</summary>
    public const string Reader = "Reader";

    /// <summary>The built-in roles, most privileged first.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [Administrator, Contributor, Reader];

    /// <summary>Whether <paramref name="name"/> is a built-in role in any case.</summary>
    public static bool IsBuiltIn(string name) => TryGetBuiltIn(name, out _);

    /// <summary>The canonical spelling of the built-in role <paramref name="name"/> names in any case.</summary>
    public static bool TryGetBuiltIn(string name, [NotNullWhen(true)] out string? canonical)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var builtIn in BuiltIn)
        {
            if (string.Equals(name, builtIn, StringComparison.OrdinalIgnoreCase))
            {
                canonical = builtIn;
                return true;
            }
        }

        canonical = null;
        return false;
    }

    /// <summary>The canonical spelling of a built-in role name; any other name unchanged, since custom names are case-sensitive.</summary>
    public static string Normalize(string name) => TryGetBuiltIn(name, out var canonical) ? canonical : name;

    /// <summary>
    /// Why <paramref name="name"/> cannot be defined as a new role, or null when it can: besides
    /// <see cref="FindProblem"/>, no whitespace at either end, no whitespace but the space, and no
    /// invisible formatting characters, so that a defined name cannot pass for a built-in one
    /// (<c>"Administrator "</c>, <c>"Admin\u200Bistrator"</c>) in a list of users. Only definitions
    /// are held to this: records already in ledgers are read by <see cref="FindProblem"/> alone.
    /// </summary>
    public static string? FindProblemDefining(string name)
    {
        if (FindProblem(name) is { } problem)
        {
            return problem;
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            return "The role name begins or ends with whitespace.";
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if ((char.IsWhiteSpace(c) && c != ' ') || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                return $"The role name contains the invisible or spacing character U+{(int)c:X4} at index {i}; only the space may separate words.";
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="name"/> cannot be a role name, or null when it can (built-in names can).</summary>
    public static string? FindProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var problem = AccessText.FindProblem(name, AccessLimits.MaxRoleNameLengthChars, refuseWhitespaceAndSlash: false);
        return problem is null ? null : $"The role name {problem}.";
    }
}
