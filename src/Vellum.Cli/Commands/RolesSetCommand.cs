using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;
using Vellum.Client;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum roles set NAME --action ACTION... [--json]</c>: defines a custom role, or replaces its actions.</summary>
internal static class RolesSetCommand
{
    private const string Description =
        "Define a custom role granting the given actions, or replace an existing custom role's actions; built-in roles cannot be changed. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var name = new Argument<string>("NAME") { Description = "The role's name." };
        var actions = new Option<string[]>("--action") { Description = "An action the role grants, such as Microsoft.ConfidentialLedger/ledger/read; repeat for each.", HelpName = "ACTION", Required = true, AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print {\"roleName\",\"roleActions\"} as JSON." };
        var command = new Command("set", Description) { name, actions, json };
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, async (client, output, _) =>
        {
            var role = new LedgerRole(parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(actions));
            await client.CreateOrReplaceRolesAsync([role], cancellationToken);
            Print(output, await client.GetRoleAsync(role.RoleName, cancellationToken), parseResult.GetValue(json));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Prints one role, as JSON or as fields.</summary>
    public static void Print(TextWriter output, LedgerRole role, bool json)
    {
        if (json)
        {
            JsonOutput.Write(output, writer => JsonOutput.WriteRole(writer, role));
            return;
        }

        Tables.Write(output, Tables.Fields(("Role", role.RoleName), ("Actions", string.Join("\n", role.RoleActions))));
    }
}
