using System.Text.Json;

namespace Vellum.Node.Tests.Compatibility;

/// <summary>
/// Where <c>tests/compat-js</c> and the <c>node</c> executable are, and why the JavaScript
/// compatibility tests cannot run when they cannot.
/// </summary>
internal static class CompatJs
{
    /// <summary>The command, run from the repository root, that installs the pinned client.</summary>
    public const string InstallCommand = "npm ci --prefix tests/compat-js";

    public const string ClientPackage = "@azure-rest/confidential-ledger";

    public const string ClientVersion = "1.0.0";

    private static readonly Lazy<string?> LazyRepositoryRoot = new(FindRepositoryRoot);

    private static readonly Lazy<string?> LazyNodeExecutable = new(() => FindOnPath("node"));

    private static readonly Lazy<string?> LazyMissingReason = new(FindMissingReason);

    /// <summary>The folder holding Vellum.slnx, found by walking up from the test assembly; null if there is none.</summary>
    public static string? RepositoryRoot => LazyRepositoryRoot.Value;

    public static string Directory => Path.Combine(RepositoryRoot ?? throw new InvalidOperationException(MissingReason), "tests", "compat-js");

    public static string? NodeExecutable => LazyNodeExecutable.Value;

    /// <summary>Why the tests cannot run here, naming the fix; null when node and the pinned client are installed.</summary>
    public static string? MissingReason => LazyMissingReason.Value;

    /// <summary>Under CI a missing tool is a failure, not a skip, so that a broken install step cannot pass unnoticed.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? FindMissingReason()
    {
        if (RepositoryRoot is null)
        {
            return $"No Vellum.slnx above {AppContext.BaseDirectory}: the JavaScript compatibility tests run only from a checkout.";
        }

        if (NodeExecutable is null)
        {
            return $"node is not on PATH: install Node.js, then run `{InstallCommand}` from the repository root.";
        }

        var manifest = Path.Combine(Directory, "node_modules", ClientPackage, "package.json");
        if (!File.Exists(manifest))
        {
            return $"{ClientPackage} is not installed in tests/compat-js/node_modules: run `{InstallCommand}` from the repository root.";
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var version = document.RootElement.GetProperty("version").GetString();
        return version == ClientVersion
            ? null
            : $"tests/compat-js/node_modules has {ClientPackage} {version}, not {ClientVersion}: run `{InstallCommand}` from the repository root.";
    }

    private static string? FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Vellum.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static string? FindOnPath(string program)
    {
        var names = OperatingSystem.IsWindows() ? new[] { program + ".exe", program + ".cmd" } : new[] { program };
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }
}
