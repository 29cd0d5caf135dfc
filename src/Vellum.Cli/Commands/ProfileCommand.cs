using System.CommandLine;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum profile</c>: named connection settings in the profile file, so that the ledger
/// commands need no connection flags (see docs/cli.md).
/// </summary>
internal static class ProfileCommand
{
    public static Command Create() =>
        new("profile", "Keep connection settings under a name in the profile file (~/.vellum/profiles.json): add or replace one (add), list them (list), or remove one (remove).")
        {
            ProfileAddCommand.Create(),
            ProfileListCommand.Create(),
            ProfileRemoveCommand.Create(),
        };

    /// <summary>The <c>--profile-file</c> option of the profile commands.</summary>
    public static Option<string> FileOption() =>
        new("--profile-file") { Description = $"The profile file (default: ${Connection.ProfileFile.EnvironmentVariable}, else ~/.vellum/profiles.json).", HelpName = "FILE" };
}
