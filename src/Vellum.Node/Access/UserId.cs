using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Node.Access;

/// <summary>
/// A ledger user's id, normalised so that every spelling of one user compares equal.
/// A certificate user is the SHA-256 of its DER certificate, written as 64 hex digits or as 32
/// colon-separated hex pairs in either case (ACL's wire form is <c>5F:23:…</c>, CCF's internal form
/// is lowercase without colons); its canonical form is 64 lowercase hex digits. Any other id, such
/// as an Entra object id, is case-insensitive and canonically lowercase. Equality and hashing use
/// <see cref="Canonical"/> only; <see cref="Original"/> keeps the caller's spelling because ACL
/// echoes the id exactly as the request gave it.
/// </summary>
public sealed class UserId : IEquatable<UserId>
{
    private const int FingerprintBytes = 32;
    private const int HexLength = FingerprintBytes * 2;
    private const int ColonHexLength = (FingerprintBytes * 3) - 1;
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private UserId(string original, string canonical, UserIdKind kind)
    {
        Original = original;
        Canonical = canonical;
        Kind = kind;
    }

    /// <summary>The id as the caller wrote it, to echo in responses.</summary>
    public string Original { get; }

    /// <summary>The normalised id: the ledger key, the form written to access records.</summary>
    public string Canonical { get; }

    /// <summary>Whether the id is a certificate fingerprint or another kind of id.</summary>
    public UserIdKind Kind { get; }

    /// <summary>Parses a user id from a (percent-decoded) URL path segment or an identity.</summary>
    /// <exception cref="FormatException">The text is not an acceptable user id; the message says why.</exception>
    public static UserId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var id, out var error) ? id : throw new FormatException(error);
    }

    /// <summary>Parses a user id, or says why it is not acceptable.</summary>
    /// <param name="text">The id: empty, over <see cref="AccessLimits.MaxUserIdLengthChars"/> characters, control characters, whitespace and <c>/</c> are refused.</param>
    /// <param name="id">The parsed id when the result is true.</param>
    /// <param name="error">Why the text was refused when the result is false.</param>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out UserId? id,
        [NotNullWhen(false)] out string? error)
    {
        id = null;
        if (text is null)
        {
            error = "The user id is missing.";
            return false;
        }

        var problem = AccessText.FindProblem(text, AccessLimits.MaxUserIdLengthChars, refuseWhitespaceAndSlash: true);
        if (problem is not null)
        {
            error = $"The user id {problem}.";
            return false;
        }

        error = null;
        var fingerprint = TryNormaliseFingerprint(text);
        id = fingerprint is null
            ? new UserId(text, text.ToLowerInvariant(), UserIdKind.Other)
            : new UserId(text, fingerprint, UserIdKind.Certificate);
        return true;
    }

    /// <summary>The id of the user who authenticates with <paramref name="certificate"/>: the SHA-256 of its DER bytes.</summary>
    public static UserId FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var canonical = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        return new UserId(canonical, canonical, UserIdKind.Certificate);
    }

    /// <summary>This id spelled canonically, as the ledger records it and replay rebuilds it.</summary>
    public UserId ToCanonical() =>
        string.Equals(Original, Canonical, StringComparison.Ordinal) ? this : new UserId(Canonical, Canonical, Kind);

    /// <inheritdoc/>
    public bool Equals(UserId? other) => other is not null && string.Equals(Canonical, other.Canonical, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as UserId);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical);

    /// <summary>The canonical form; use <see cref="Original"/> to echo the caller's spelling.</summary>
    public override string ToString() => Canonical;

    /// <summary>Whether two ids name the same user.</summary>
    public static bool operator ==(UserId? left, UserId? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two ids name different users.</summary>
    public static bool operator !=(UserId? left, UserId? right) => !(left == right);

    // 64 hex digits, or 32 hex pairs separated by single colons; anything else is not a fingerprint.
    private static string? TryNormaliseFingerprint(string text)
    {
        if (text.Length == HexLength)
        {
            return IsHex(text) ? text.ToLowerInvariant() : null;
        }

        if (text.Length != ColonHexLength)
        {
            return null;
        }

        Span<char> digits = stackalloc char[HexLength];
        for (var pair = 0; pair < FingerprintBytes; pair++)
        {
            var at = pair * 3;
            if (pair > 0 && text[at - 1] != ':')
            {
                return null;
            }

            digits[pair * 2] = text[at];
            digits[(pair * 2) + 1] = text[at + 1];
        }

        return IsHex(digits) ? new string(digits).ToLowerInvariant() : null;
    }

    private static bool IsHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(HexDigits);
}
