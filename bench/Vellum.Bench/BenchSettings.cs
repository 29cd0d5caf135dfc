namespace Vellum.Bench;

/// <summary>Command line: <c>[suite] [--quick] [--dir PATH] [--rounds N]</c>; <c>--rounds</c> sets the paired suite's round count.</summary>
internal sealed record BenchSettings(string? Suite, bool Quick, string ScratchDirectory, int? Rounds = null)
{
    /// <exception cref="FormatException"><c>--rounds</c> is not followed by a positive whole number.</exception>
    public static BenchSettings Parse(string[] args)
    {
        string? suite = null;
        var quick = false;
        int? rounds = null;
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
                case "--rounds":
                    rounds = i + 1 < args.Length && int.TryParse(args[++i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0
                        ? count
                        : throw new FormatException("--rounds needs a positive whole number, such as --rounds 24.");
                    break;
                default:
                    suite = args[i];
                    break;
            }
        }

        return new BenchSettings(suite, quick, directory, rounds);
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
