using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;
using Vellum.Client;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum users set USER-ID|--user-cert PEM --role ROLE... [--json]</c>: adds a user, or replaces its roles.</summary>
internal static class UsersSetCommand
{
    private const string Description =
        "Add a user with the given roles, or replace an existing user's roles. Built-in roles: Administrator, Contributor, Reader. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var user = new UserIdSyntax();
        var roles = new Option<string[]>("--role") { Description = "A role to assign; repeat for each.", HelpName = "ROLE", Required = true, AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print {\"userId\",\"assignedRoles\"} as JSON." };
        var command = new Command("set", Description) { roles, json };
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
                var updated = await client.CreateOrUpdateLedgerUserAsync(userId, parseResult.GetRequiredValue(roles), cancellationToken);
                Print(output, updated, parseResult.GetValue(json));
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary>Prints one user, as JSON or as fields.</summary>
    public static void Print(TextWriter output, LedgerUserMultipleRoles user, bool json)
    {
        if (json)
        {
            JsonOutput.Write(output, writer => JsonOutput.WriteUser(writer, user));
            return;
        }

        Tables.Write(output, Tables.Fields(("User", user.UserId), ("Roles", string.Join(", ", user.AssignedRoles))));
    }
}
