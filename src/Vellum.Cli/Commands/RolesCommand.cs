using System.CommandLine;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum roles</c>: the ledger's roles and the actions they grant (<c>/app/roles</c>), one
/// sub-command per action, each in its own file. Built-in roles are listed but cannot be changed.
/// </summary>
internal static class RolesCommand
{
    public static Command Create() =>
        new("roles", "Manage the ledger's roles: list them (list), show one (get), define or replace a custom role (set), or remove one (delete).")
        {
            RolesListCommand.Create(),
            RolesGetCommand.Create(),
            RolesSetCommand.Create(),
            RolesDeleteCommand.Create(),
        };
}
