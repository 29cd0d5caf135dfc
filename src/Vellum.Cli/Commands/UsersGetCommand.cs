using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum users get USER-ID|--user-cert PEM [--json]</c>: one user's roles.</summary>
internal static class UsersGetCommand
{
    private const string Description = "Show one user and its roles. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var user = new UserIdSyntax();
        var json = new Option<bool>("--json") { Description = "Print {\"userId\",\"assignedRoles\"} as JSON." };
        var command = new Command("get", Description) { json };
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
                var found = await client.GetLedgerUserAsync(userId, cancellationToken);
                UsersSetCommand.Print(output, found, parseResult.GetValue(json));
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
