using System.CommandLine;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum users</c>: the ledger's users and their roles (<c>/app/ledgerUsers</c>), one
/// sub-command per action, each in its own file.
/// </summary>
internal static class UsersCommand
{
    public static Command Create() =>
        new("users", "Manage the ledger's users: list them (list), show one (get), add one or replace its roles (set), or remove one (delete).")
        {
            UsersListCommand.Create(),
            UsersGetCommand.Create(),
            UsersSetCommand.Create(),
            UsersDeleteCommand.Create(),
        };
}
