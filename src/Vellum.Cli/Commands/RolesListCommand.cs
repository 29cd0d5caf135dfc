using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum roles list [--json]</c>: every role, built-in and custom, with its actions.</summary>
internal static class RolesListCommand
{
    private const string Description = "List the ledger's roles, built-in and custom, with the actions each grants. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var json = new Option<bool>("--json") { Description = "Print {\"roles\":[{\"roleName\",\"roleActions\"}...]} as JSON." };
        var command = new Command("list", Description) { json };
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, async (client, output, _) =>
        {
            var roles = await client.GetRolesAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("roles");
                    foreach (var role in roles)
                    {
                        JsonOutput.WriteRole(writer, role);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
                return ExitCodes.Success;
            }

            var table = Tables.Create("Role", "Actions");
            foreach (var role in roles)
            {
                Tables.AddRow(table, role.RoleName, string.Join("\n", role.RoleActions));
            }

            Tables.Write(output, table);
            return ExitCodes.Success;
        }));
        return command;
    }
}
