using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum profile list [--json]</c>: the saved profiles and which one is the default.</summary>
internal static class ProfileListCommand
{
    private const string Description = "List the saved profiles. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print {\"file\",\"default\",\"profiles\":[{\"name\",\"target\",\"serviceCert\",\"cert\",\"key\",\"tokenFile\"}...]} as JSON." };
        var file = ProfileCommand.FileOption();
        var command = new Command("list", Description) { json, file };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var path = ProfileFile.ResolvePath(parseResult.GetValue(file));
            if (!ProfileFile.TryLoad(path, out var profiles, out var problem))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {problem}");
                return ExitCodes.Failure;
            }

            if (parseResult.GetValue(json))
            {
                WriteJson(output, profiles);
            }
            else if (profiles.Profiles.Count == 0)
            {
                output.WriteLine($"No profiles in {path}.");
            }
            else
            {
                var table = Tables.Create("Profile", "Target", "Service certificate", "Caller");
                foreach (var (name, profile) in profiles.Profiles)
                {
                    var caller = profile.TokenFile is not null ? $"token {profile.TokenFile}" : profile.Cert ?? "(none)";
                    Tables.AddRow(table, name == profiles.Default ? $"{name} (default)" : name, profile.Target ?? "(none)", profile.ServiceCert ?? "(none)", caller);
                }

                Tables.Write(output, table);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, ProfileFile profiles) => JsonOutput.Write(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("file", profiles.Path);
        writer.WriteString("default", profiles.Default);
        writer.WriteStartArray("profiles");
        foreach (var (name, profile) in profiles.Profiles)
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("target", profile.Target);
            writer.WriteString("serviceCert", profile.ServiceCert);
            writer.WriteString("cert", profile.Cert);
            writer.WriteString("key", profile.Key);
            writer.WriteString("tokenFile", profile.TokenFile);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
