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

    private const string ItemKey = "Vellum.ApiVersion";

    /// <summary>Checks the request's api-version and remembers it for links the response builds.</summary>
    public static void Require(HttpContext context)
    {
        var values = context.Request.Query[ParameterName];
        if (values.Count == 0)
        {
            throw ApiException.BadRequest(ErrorCodes.MissingApiVersion, $"The query parameter api-version is required; supported versions: {string.Join(", ", Supported)}.");
        }

        foreach (var value in values)
        {
            if (Array.IndexOf(Supported, value) < 0)
            {
                throw ApiException.BadRequest(ErrorCodes.InvalidApiVersion, $"The api-version \"{value}\" is not supported; supported versions: {string.Join(", ", Supported)}.");
            }
        }

        context.Items[ItemKey] = values[0];
    }

    /// <summary>The api-version the request was checked with.</summary>
    public static string Of(HttpContext context) => context.Items[ItemKey] as string ?? Supported[0];
}
