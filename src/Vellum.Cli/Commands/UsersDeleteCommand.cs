using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum users delete USER-ID|--user-cert PEM [--json]</c>: removes a user.</summary>
internal static class UsersDeleteCommand
{
    private const string Description = "Remove a user: it may no longer call the ledger. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var user = new UserIdSyntax();
        var json = new Option<bool>("--json") { Description = "Print {\"userId\",\"deleted\":true} as JSON." };
        var command = new Command("delete", Description) { json };
        user.AddTo(command);
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (user.Resolve(parseResult, parseResult.InvocationConfiguration.Error, out var exitCode) is not { } userId)
            {
                return exitCode;
            }

            return await connection.RunAsync(parseResult, async (client, output, _) =>
            {
                await client.DeleteUserAsync(userId, cancellationToken);
                if (parseResult.GetValue(json))
                {
                    JsonOutput.Write(output, writer =>
                    {
                        writer.WriteStartObject();
                        writer.WriteString("userId", userId);
                        writer.WriteBoolean("deleted", true);
                        writer.WriteEndObject();
                    });
                }
                else
                {
                    output.WriteLine($"Deleted user {userId}.");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
