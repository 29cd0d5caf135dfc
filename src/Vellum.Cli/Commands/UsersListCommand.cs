using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum users list [--json]</c>: every user with its roles.</summary>
internal static class UsersListCommand
{
    private const string Description = "List the ledger's users and their roles. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var json = new Option<bool>("--json") { Description = "Print {\"users\":[{\"userId\",\"assignedRoles\"}...]} as JSON." };
        var command = new Command("list", Description) { json };
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, async (client, output, _) =>
        {
            var users = new List<Client.LedgerUserMultipleRoles>();
            await foreach (var user in client.GetLedgerUsersAsync(cancellationToken))
            {
                users.Add(user);
            }

            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("users");
                    users.ForEach(user => JsonOutput.WriteUser(writer, user));
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
                return ExitCodes.Success;
            }

            var table = Tables.Create("User", "Roles");
            users.ForEach(user => Tables.AddRow(table, user.UserId, string.Join(", ", user.AssignedRoles)));
            Tables.Write(output, table);
            return ExitCodes.Success;
        }));
        return command;
    }
}
