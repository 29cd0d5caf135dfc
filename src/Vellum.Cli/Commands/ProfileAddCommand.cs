using System.CommandLine;
using Vellum.Cli.Connection;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum profile add NAME --target T --service-cert PEM (--cert PEM --key PEM | --token-file FILE) [--default]</c>:
/// saves connection settings under a name, with each file's full path, after checking the files exist.
/// </summary>
internal static class ProfileAddCommand
{
    private const string Description =
        "Save connection settings under NAME, replacing a profile of that name. File names are saved as full paths. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The profile's name: letters, digits, '-', '_' or '.'." };
        var target = new Option<string>("--target") { Description = "Any node of the ledger, as HOST:PORT or https://HOST:PORT.", HelpName = "HOST:PORT", Required = true };
        var serviceCert = new Option<string>("--service-cert") { Description = "The ledger's service certificate file.", HelpName = "PEM", Required = true };
        var cert = new Option<string>("--cert") { Description = "The caller's certificate file; with --key.", HelpName = "PEM" };
        var key = new Option<string>("--key") { Description = "The caller's private key file.", HelpName = "PEM" };
        var tokenFile = new Option<string>("--token-file") { Description = "A file holding a bearer token, instead of --cert and --key.", HelpName = "FILE" };
        var isDefault = new Option<bool>("--default") { Description = "Use this profile when a command names none." };
        var file = ProfileCommand.FileOption();
        var command = new Command("add", Description) { name, target, serviceCert, cert, key, tokenFile, isDefault, file };
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var profileName = parseResult.GetRequiredValue(name);
            var profile = new ConnectionProfile(
                parseResult.GetRequiredValue(target), Full(parseResult.GetRequiredValue(serviceCert)), Full(parseResult.GetValue(cert)), Full(parseResult.GetValue(key)), Full(parseResult.GetValue(tokenFile)));
            if (UsageProblem(profileName, profile) is { } usage)
            {
                error.WriteLine($"error: {usage}");
                return ExitCodes.Usage;
            }

            string?[] files = [profile.ServiceCert, profile.Cert, profile.Key, profile.TokenFile];
            if (files.FirstOrDefault(path => path is not null && !File.Exists(path)) is { } missing)
            {
                error.WriteLine($"error: the file \"{missing}\" does not exist");
                return ExitCodes.Failure;
            }

            var path = ProfileFile.ResolvePath(parseResult.GetValue(file));
            if (!ProfileFile.TryLoad(path, out var profiles, out var problem))
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.Failure;
            }

            profiles.Profiles[profileName] = profile;
            if (parseResult.GetValue(isDefault))
            {
                profiles.Default = profileName;
            }

            profiles.Save();
            parseResult.InvocationConfiguration.Output.WriteLine($"Saved profile \"{profileName}\" in {path}{(profiles.Default == profileName ? ", used by default" : string.Empty)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);

    private static string? UsageProblem(string name, ConnectionProfile profile) => profile switch
    {
        _ when !ProfileFile.IsValidName(name) => $"\"{name}\" is not a profile name: use 1 to 64 letters, digits, '-', '_' or '.'",
        _ when !LedgerTarget.TryParse(profile.Target!, out _) => $"--target must be HOST:PORT or https://HOST:PORT, not \"{profile.Target}\"",
        { TokenFile: not null, Cert: not null } or { TokenFile: not null, Key: not null } => "give --cert and --key, or --token-file, not both",
        { TokenFile: null } when (profile.Cert is null) != (profile.Key is null) => "--cert and --key go together",
        _ => null,
    };
}
