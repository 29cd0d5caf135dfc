namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// The form every trusted issuer takes, configured or set by governance: an absolute https URL
/// with no query, fragment or user info, so that it can be compared with a token's <c>iss</c> and,
/// for a configured issuer, have its OpenID configuration fetched under it.
/// </summary>
internal static class IssuerUrl
{
    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "an https URL with no query, fragment or user info";

    /// <summary>Whether <paramref name="issuer"/> has the form of a trusted issuer.</summary>
    public static bool IsValid(string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0
        && uri.UserInfo.Length == 0;
}
