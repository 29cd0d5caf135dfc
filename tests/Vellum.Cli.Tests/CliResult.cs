namespace Vellum.Cli.Tests;

/// <summary>What one run of the command line produced, as a user would see it.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Runs <c>vellum</c> in-process with <paramref name="args"/>, capturing both streams.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await Program.RunAsync(args, output, error);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The lines written to standard output.</summary>
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}
