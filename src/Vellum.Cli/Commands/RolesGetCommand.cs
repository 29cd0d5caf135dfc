using System.CommandLine;
using Vellum.Cli.Connection;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum roles get NAME [--json]</c>: one role's actions.</summary>
internal static class RolesGetCommand
{
    private const string Description = "Show one role and the actions it grants. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var name = new Argument<string>("NAME") { Description = "The role's name." };
        var json = new Option<bool>("--json") { Description = "Print {\"roleName\",\"roleActions\"} as JSON." };
        var command = new Command("get", Description) { name, json };
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, async (client, output, _) =>
        {
            var role = await client.GetRoleAsync(parseResult.GetRequiredValue(name), cancellationToken);
            RolesSetCommand.Print(output, role, parseResult.GetValue(json));
            return ExitCodes.Success;
        }));
        return command;
    }
}
