using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum roles delete NAME [--json]</c>: removes a custom role no user holds.</summary>
internal static class RolesDeleteCommand
{
    private const string Description = "Remove a custom role; a role still assigned to a user is refused (RoleInUse). " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var name = new Argument<string>("NAME") { Description = "The role's name." };
        var json = new Option<bool>("--json") { Description = "Print {\"roleName\",\"deleted\":true} as JSON." };
        var command = new Command("delete", Description) { name, json };
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, async (client, output, _) =>
        {
            var roleName = parseResult.GetRequiredValue(name);
            await client.DeleteRoleAsync(roleName, cancellationToken);
            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("roleName", roleName);
                    writer.WriteBoolean("deleted", true);
                    writer.WriteEndObject();
                });
            }
            else
            {
                output.WriteLine($"Deleted role {roleName}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
