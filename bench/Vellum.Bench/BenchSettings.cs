namespace Vellum.Bench;

/// <summary>Command line: <c>[suite] [--quick] [--dir PATH]</c>.</summary>
internal sealed record BenchSettings(string? Suite, bool Quick, string ScratchDirectory)
{
    public static BenchSettings Parse(string[] args)
    {
        string? suite = null;
        var quick = false;
        var directory = Path.Combine(Path.GetTempPath(), "vellum-bench");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--dir" when i + 1 < args.Length:
                    directory = args[++i];
                    break;
                default:
                    suite = args[i];
                    break;
            }
        }

        return new BenchSettings(suite, quick, directory);
    }

    /// <summary>A fresh, empty scratch directory for one measurement.</summary>
    public string FreshDirectory(string name)
    {
        var path = Path.Combine(ScratchDirectory, name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return path;
    }
}
