using System.CommandLine;
using Vellum.Cli.Connection;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum profile remove NAME</c>: forgets a profile (and the default, if it was that one).</summary>
internal static class ProfileRemoveCommand
{
    private const string Description = "Remove a saved profile. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The profile's name." };
        var file = ProfileCommand.FileOption();
        var command = new Command("remove", Description) { name, file };
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var profileName = parseResult.GetRequiredValue(name);
            var path = ProfileFile.ResolvePath(parseResult.GetValue(file));
            if (!ProfileFile.TryLoad(path, out var profiles, out var problem))
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.Failure;
            }

            if (!profiles.Profiles.Remove(profileName))
            {
                error.WriteLine($"error: no profile \"{profileName}\" in {path}");
                return ExitCodes.Failure;
            }

            if (profiles.Default == profileName)
            {
                profiles.Default = null;
            }

            profiles.Save();
            parseResult.InvocationConfiguration.Output.WriteLine($"Removed profile \"{profileName}\" from {path}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
