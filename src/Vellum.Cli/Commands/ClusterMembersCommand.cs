using System.CommandLine;
using System.Net;
using System.Text.Json;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum cluster members</c>: prints the cluster's voters and learners as a node knows them (<c>GET /node/members</c>).</summary>
internal static class ClusterMembersCommand
{
    private const string Description =
        "Print the cluster's members as the --target node knows them: node id, role (voter or learner), " +
        "whether it is the primary, and its API and peer addresses. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: false, "A certificate (PEM) to present as the caller; optional, since anyone may list the members.");
        var command = new Command("members", Description);
        foreach (var option in api.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!api.TryCreateClient(parseResult, out var client, out var exitCode, out var problem))
            {
                error.WriteLine($"error: {problem}");
                return exitCode;
            }

            using (client)
            {
                return await RunAsync(client, output, error, cancellationToken);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(NodeApiClient client, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        NodeApiResponse response;
        try
        {
            response = await client.SendAsync(HttpMethod.Get, "/node/members", cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            error.WriteLine($"error: cannot ask {client.Target.Authority} for the members: {exception.Message}");
            return ExitCodes.Failure;
        }

        if (response.Status != HttpStatusCode.OK)
        {
            error.WriteLine($"error: {response.Authority} did not list the members ({(int)response.Status}): {response.ErrorText}");
            return ExitCodes.Failure;
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            var members = document.RootElement.GetProperty("members").EnumerateArray().ToList();
            output.WriteLine($"{members.Count} member(s), as {response.Authority} knows them:");
            foreach (var member in members)
            {
                output.WriteLine(
                    $"  {member.GetProperty("nodeId").GetString()}  {member.GetProperty("role").GetString(),-7}  " +
                    $"{(member.GetProperty("primary").GetBoolean() ? "primary" : "       ")}  " +
                    $"api {member.GetProperty("apiAddress").GetString()}  peer {member.GetProperty("peerAddress").GetString()}");
            }

            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            error.WriteLine($"error: {response.Authority} answered with a member list this version cannot read: {exception.Message}");
            return ExitCodes.Failure;
        }
    }
}
