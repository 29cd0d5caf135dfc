using System.Net;
using System.Text.Json;

namespace Vellum.Cli.Commands;

/// <summary>
/// One <c>/gov</c> request made by a <c>vellum member</c> command: sent (following a backup's 307),
/// a refusal printed with the server's code and message, and the JSON answer handed to the command to print.
/// </summary>
internal static class GovernanceCall
{
    /// <summary>
    /// Sends the request and, when the node answers 200, runs <paramref name="print"/> on the answer's JSON.
    /// Every failure (unreachable, refused, an answer this version cannot read) is printed and exits with failure.
    /// </summary>
    /// <param name="client">The client pinned to the ledger, presenting the member's certificate if any.</param>
    /// <param name="method">The request's method.</param>
    /// <param name="path">The request's path, <c>/gov/...</c>.</param>
    /// <param name="jsonBody">The request's JSON body, or null for none.</param>
    /// <param name="what">What the request asks for, after "to": "list the members", "vote on proposal X".</param>
    /// <param name="print">Prints the answer; it gets the answer's JSON and the node that gave it.</param>
    /// <param name="error">Where failures are printed.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public static async Task<int> RunAsync(
        NodeApiClient client,
        HttpMethod method,
        string path,
        string? jsonBody,
        string what,
        Action<JsonElement, string> print,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        NodeApiResponse response;
        try
        {
            response = await client.SendAsync(method, path, jsonBody, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            error.WriteLine($"error: cannot ask {client.Target.Authority} to {what}: {exception.Message}");
            return ExitCodes.Failure;
        }

        if (response.Status != HttpStatusCode.OK)
        {
            error.WriteLine($"error: {response.Authority} refused to {what} ({(int)response.Status}): {response.ErrorText}");
            return ExitCodes.Failure;
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            print(document.RootElement, response.Authority);
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            error.WriteLine($"error: {response.Authority} answered with something this version cannot read: {exception.Message}");
            return ExitCodes.Failure;
        }
    }
}
