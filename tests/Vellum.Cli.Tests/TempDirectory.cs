namespace Vellum.Cli.Tests;

/// <summary>A fresh directory for the files a test hands to the command line, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("vellum-cli-tests-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> to a file named <paramref name="name"/> and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A path in the directory where no file exists.</summary>
    public string Missing(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
