namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// Issuer and audience URLs are compared exactly except for one trailing slash, because Entra ID
/// writes <c>https://sts.windows.net/{tenant}/</c> with one and ACL's resource is used both ways.
/// </summary>
internal static class TrailingSlash
{
    /// <summary>The URL without one trailing slash, the form used as a dictionary key.</summary>
    public static string Trim(string url) => url.EndsWith('/') ? url[..^1] : url;

    /// <summary>Whether the two URLs are equal, ordinally, once one trailing slash is removed from each.</summary>
    public static bool Equivalent(string left, string right) => string.Equals(Trim(left), Trim(right), StringComparison.Ordinal);
}
