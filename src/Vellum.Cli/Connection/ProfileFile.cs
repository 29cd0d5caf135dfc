using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Vellum.Cli.Connection;

/// <summary>
/// The profile file, <c>~/.vellum/profiles.json</c> unless <c>--profile-file</c> or
/// <c>VELLUM_PROFILES</c> names another: named connection settings and the one used by default.
/// It holds file names, never keys or tokens, so it is no more secret than a shell history.
/// </summary>
/// <remarks>
/// The format, documented in docs/cli.md: <c>{"default":"NAME","profiles":{"NAME":{"target":…,
/// "serviceCert":…,"cert":…,"key":…,"tokenFile":…}}}</c>. Relative file names are relative to the
/// profile file's folder, so that a hand-written file can sit beside the certificates it names.
/// </remarks>
internal sealed class ProfileFile
{
    /// <summary>The environment variable that names another profile file.</summary>
    public const string EnvironmentVariable = "VELLUM_PROFILES";

    private const long MaxBytes = 1024 * 1024;
    private const int MaxNameLength = 64;
    private static readonly string[] Settings = ["target", "serviceCert", "cert", "key", "tokenFile"];

    private ProfileFile(string path) => Path = path;

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>The profile used when <c>--profile</c> is not given, if any.</summary>
    public string? Default { get; set; }

    /// <summary>The profiles by name, sorted for listing.</summary>
    public SortedDictionary<string, ConnectionProfile> Profiles { get; } = new(StringComparer.Ordinal);

    /// <summary>The file to use: <paramref name="given"/>, else <c>VELLUM_PROFILES</c>, else <c>~/.vellum/profiles.json</c>.</summary>
    public static string ResolvePath(string? given)
    {
        var path = given ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(path))
        {
            path = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".vellum", "profiles.json");
        }

        return System.IO.Path.GetFullPath(path);
    }

    /// <summary>Whether <paramref name="name"/> may name a profile: 1 to 64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Reads the file at <paramref name="path"/>; a file that does not exist holds no profiles.</summary>
    public static bool TryLoad(string path, [NotNullWhen(true)] out ProfileFile? file, [NotNullWhen(false)] out string? error)
    {
        file = new ProfileFile(path);
        if (!File.Exists(path))
        {
            error = null;
            return true;
        }

        if (!InputFile.TryReadText(path, "profile", MaxBytes, out var text, out error))
        {
            file = null;
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (!file.TryRead(document.RootElement, out error))
            {
                error = $"the profile file \"{path}\" is not valid: {error}";
                file = null;
                return false;
            }

            return true;
        }
        catch (JsonException exception)
        {
            error = $"the profile file \"{path}\" is not valid JSON: {exception.Message}";
            file = null;
            return false;
        }
    }

    /// <summary>The profile named <paramref name="name"/>, its relative file names resolved against this file's folder.</summary>
    public ConnectionProfile? Find(string name)
    {
        if (!Profiles.TryGetValue(name, out var profile))
        {
            return null;
        }

        var folder = System.IO.Path.GetDirectoryName(Path)!;
        string? Full(string? file) => file is null ? null : System.IO.Path.GetFullPath(file, folder);
        return new ConnectionProfile(profile.Target, Full(profile.ServiceCert), Full(profile.Cert), Full(profile.Key), Full(profile.TokenFile));
    }

    /// <summary>Writes the file whole, through a temporary file and a rename, so that a crash leaves the old or the new one.</summary>
    public void Save()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, ToJson(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, Path, overwrite: true);
    }

    private string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            if (Default is not null)
            {
                writer.WriteString("default", Default);
            }

            writer.WriteStartObject("profiles");
            foreach (var (name, profile) in Profiles)
            {
                writer.WriteStartObject(name);
                string?[] values = [profile.Target, profile.ServiceCert, profile.Cert, profile.Key, profile.TokenFile];
                for (var i = 0; i < Settings.Length; i++)
                {
                    if (values[i] is { } value)
                    {
                        writer.WriteString(Settings[i], value);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private bool TryRead(JsonElement root, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "it is not a JSON object";
            return false;
        }

        foreach (var property in root.EnumerateObject())
        {
            var read = property.Name switch
            {
                "default" => TryReadDefault(property.Value, out error),
                "profiles" => TryReadProfiles(property.Value, out error),
                _ => Fail($"unknown field \"{property.Name}\"; the file has \"default\" and \"profiles\"", out error),
            };
            if (!read)
            {
                return Fail(error!, out error);
            }
        }

        return Default is null || Profiles.ContainsKey(Default) || Fail($"the default profile \"{Default}\" is not among the profiles", out error);
    }

    private bool TryReadDefault(JsonElement value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fail("\"default\" is not a profile name", out error);
        }

        Default = value.GetString();
        return true;
    }

    private bool TryReadProfiles(JsonElement value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Fail("\"profiles\" is not an object of profiles by name", out error);
        }

        foreach (var profile in value.EnumerateObject())
        {
            if (!IsValidName(profile.Name))
            {
                return Fail($"\"{profile.Name}\" is not a profile name (1 to {MaxNameLength} letters, digits, '-', '_' or '.')", out error);
            }

            if (!TryReadProfile(profile.Name, profile.Value, out var read, out error))
            {
                return false;
            }

            Profiles[profile.Name] = read;
        }

        return true;
    }

    private static bool TryReadProfile(string name, JsonElement value, [NotNullWhen(true)] out ConnectionProfile? profile, [NotNullWhen(false)] out string? error)
    {
        profile = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Fail($"profile \"{name}\" is not an object", out error);
        }

        var values = new string?[Settings.Length];
        foreach (var setting in value.EnumerateObject())
        {
            var index = Array.IndexOf(Settings, setting.Name);
            if (index < 0)
            {
                return Fail($"profile \"{name}\" has an unknown setting \"{setting.Name}\"; settings are {string.Join(", ", Settings)}", out error);
            }

            if (setting.Value.ValueKind != JsonValueKind.String)
            {
                return Fail($"profile \"{name}\" has a \"{setting.Name}\" that is not a string", out error);
            }

            values[index] = setting.Value.GetString();
        }

        profile = new ConnectionProfile(values[0], values[1], values[2], values[3], values[4]);
        error = null;
        return true;
    }

    private static bool Fail(string message, [NotNullWhen(false)] out string? error)
    {
        error = message;
        return false;
    }
}
