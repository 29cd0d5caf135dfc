using Spectre.Console;

namespace Vellum.Cli.Commands;

/// <summary>
/// Shows a long step's progress: a Spectre.Console progress bar when the command writes to an
/// interactive terminal, nothing otherwise, so redirected output stays plain text for scripts.
/// </summary>
internal static class AuditProgress
{
    /// <summary>Whether <paramref name="output"/> is the console of a terminal.</summary>
    public static bool IsInteractive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/>, showing the bytes it reports against <paramref name="totalBytes"/> when <paramref name="interactive"/>.</summary>
    public static async Task<T> RunAsync<T>(bool interactive, string description, long totalBytes, Func<IProgress<long>, Task<T>> work)
    {
        if (!interactive)
        {
            return await work(new CallbackProgress(_ => { }));
        }

        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: Math.Max(1, totalBytes));
                return await work(new CallbackProgress(bytes => task.Value = bytes));
            });
    }
}
