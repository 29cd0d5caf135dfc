namespace Vellum.Node.Api;

/// <summary>
/// A request the node refuses, with the HTTP status and the ACL-style error code and message
/// that the error middleware writes as <c>{"error":{"code","message"}}</c>.
/// </summary>
internal sealed class ApiException(int statusCode, string code, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Code { get; } = code;

    public static ApiException BadRequest(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);

    public static ApiException NotFound(string code, string message) => new(StatusCodes.Status404NotFound, code, message);
}
