namespace Vellum.Node.Api;

/// <summary>
/// The ACL data-plane api-versions the node serves. Every <c>/app</c> request must name one; a
/// repeated parameter is accepted when every copy names a supported version, because ACL's
/// JavaScript client appends it again to <c>nextLink</c> URLs.
/// </summary>
internal static class ApiVersions
{
    public const string ParameterName = "api-version";

    public static readonly string[] Supported = ["2022-05-13", "2023-01-18-preview", "2024-01-26-preview", "2024-08-22-preview", "2024-12-09-preview"];

    /// <summary>Checks the request's api-version.</summary>
    public static void Require(HttpContext context)
    {
        var values = context.Request.Query[ParameterName];
        if (values.Count == 0)
        {
            throw ApiException.BadRequest(ErrorCodes.MissingApiVersion, $"The query parameter api-version is required; supported versions: {string.Join(", ", Supported)}.");
        }

        foreach (var value in values)
        {
            if (!IsSupported(value))
            {
                throw ApiException.BadRequest(ErrorCodes.InvalidApiVersion, $"The api-version \"{value}\" is not supported; supported versions: {string.Join(", ", Supported)}.");
            }
        }
    }

    /// <summary>
    /// The api-version the request names, for links the response builds: its first copy, which
    /// <see cref="Require"/> has checked. Read again from the parsed query rather than kept in
    /// the request's items, which would cost every request a dictionary.
    /// </summary>
    public static string Of(HttpContext context)
    {
        var values = context.Request.Query[ParameterName];
        return values.Count > 0 && IsSupported(values[0]) ? values[0]! : Supported[0];
    }

    private static bool IsSupported(string? value) => Array.IndexOf(Supported, value) >= 0;
}
