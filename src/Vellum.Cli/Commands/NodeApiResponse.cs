using System.Net;
using System.Text.Json;

namespace Vellum.Cli.Commands;

/// <summary>A node's answer: its status, body and transaction id, and which node gave it.</summary>
internal sealed record NodeApiResponse(HttpStatusCode Status, string Body, string? TransactionId, string Authority)
{
    /// <summary>The error's code and message from ACL's <c>{"error":{"code","message"}}</c>, or the body as is.</summary>
    public string ErrorText
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                var error = document.RootElement.GetProperty("error");
                return $"{error.GetProperty("code").GetString()}: {error.GetProperty("message").GetString()}";
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return Body.Length == 0 ? "(no body)" : Body;
            }
        }
    }
}
