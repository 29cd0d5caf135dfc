using System.CommandLine;
using System.Net;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum cluster retire</c>: removes a node from the cluster through
/// <c>DELETE /node/members/{nodeId}</c>, as an Administrator, and reports once the removal is committed.
/// </summary>
internal static class ClusterRetireCommand
{
    private const int NodeIdLengthChars = 64;

    private const string Description =
        "Retire a node: the primary removes it from the cluster and answers once the removal is committed. " +
        "The retired node stops taking part and refuses writes; stop it afterwards. Retiring the primary makes " +
        "the others elect a new one. The last voter cannot be retired. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: true, "An Administrator's certificate (PEM), presented as the caller.");
        var nodeId = new Option<string>("--node-id") { Description = "The node to retire: its id, 64 hex digits, as vellum cluster members lists it.", HelpName = "ID", Required = true };
        var command = new Command("retire", Description) { nodeId };
        foreach (var option in api.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var id = parseResult.GetRequiredValue(nodeId);
            if (id.Length != NodeIdLengthChars || !id.All(char.IsAsciiHexDigit))
            {
                error.WriteLine($"error: --node-id must be {NodeIdLengthChars} hex digits (vellum cluster members lists them), not \"{id}\"");
                return ExitCodes.Usage;
            }

            if (!api.TryCreateClient(parseResult, out var client, out var exitCode, out var problem))
            {
                error.WriteLine($"error: {problem}");
                return exitCode;
            }

            using (client)
            {
                return await RunAsync(client, id.ToLowerInvariant(), output, error, cancellationToken);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(NodeApiClient client, string nodeId, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        NodeApiResponse response;
        try
        {
            response = await client.SendAsync(HttpMethod.Delete, $"/node/members/{nodeId}", cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            error.WriteLine($"error: cannot ask {client.Target.Authority} to retire node {nodeId}: {exception.Message}");
            return ExitCodes.Failure;
        }

        if (response.Status is not (HttpStatusCode.NoContent or HttpStatusCode.OK))
        {
            error.WriteLine($"error: {response.Authority} did not retire node {nodeId} ({(int)response.Status}): {response.ErrorText}");
            return ExitCodes.Failure;
        }

        output.WriteLine($"Node {nodeId} is retired: the primary at {response.Authority} committed its removal in transaction {response.TransactionId}.");
        output.WriteLine("It takes no part in the cluster any more; stop it. Its data folder cannot rejoin: to add a node, join a new one.");
        return ExitCodes.Success;
    }
}
