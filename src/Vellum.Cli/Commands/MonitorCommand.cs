using System.CommandLine;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum monitor</c>: remembers the last verified signed tree head of a ledger in a file and,
/// once or every few seconds, proves that the ledger's latest head extends it; on evidence of a
/// fork or rewrite it prints an ALERT naming both heads and exits with a failure.
/// </summary>
internal static class MonitorCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "monitor";

    private const int DefaultIntervalSeconds = 60;

    private const string Description =
        "Watch a ledger for rewrites: fetch its latest committed signed tree head, verify it against the service certificate, " +
        "prove with a consistency proof that it extends the head remembered in --state, and remember it (the file is replaced " +
        "atomically). The first check remembers the head it finds. On a fork or rewrite (the proof fails, the tree shrank, " +
        "the same size has another root, a head's signature is invalid) it prints an ALERT naming both heads on standard error " +
        "and exits with 1. With --once it checks once (for cron): 0 when consistent, 1 on an ALERT or when the check could not " +
        "be made. Otherwise it checks every --interval-s seconds until Ctrl+C, reporting checks that could not be made and going on. " +
        ExitCodes.HelpText;

    /// <summary>Creates the command with its options and action.</summary>
    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: true, "A ledger user's certificate (PEM) whose roles may read receipts (Reader or above).");
        var state = new Option<string>("--state") { Description = "The file holding the last verified head (JSON); created by the first check.", HelpName = "FILE", Required = true };
        var interval = new Option<int>("--interval-s") { Description = $"Seconds between checks; {DefaultIntervalSeconds} by default.", HelpName = "S", DefaultValueFactory = _ => DefaultIntervalSeconds };
        var once = new Option<bool>("--once") { Description = "Check once and exit." };
        var command = new Command(Name, Description) { state, interval, once };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var seconds = parseResult.GetValue(interval);
            if (seconds < 1)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: --interval-s must be at least 1, not {seconds}");
                return ExitCodes.Usage;
            }

            if (!api.TryReadServiceCertificate(parseResult, out var servicePem, out var problem))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {problem}");
                return ExitCodes.Failure;
            }

            return await api.RunAsync(parseResult, (client, output, error) =>
            {
                var check = new MonitorCheck(client, servicePem, parseResult.GetRequiredValue(state), output, error);
                return parseResult.GetValue(once)
                    ? CheckOnceAsync(check, cancellationToken)
                    : LoopAsync(check, TimeSpan.FromSeconds(seconds), output, cancellationToken);
            });
        });
        return command;
    }

    private static async Task<int> CheckOnceAsync(MonitorCheck check, CancellationToken cancellationToken) =>
        await check.RunAsync(cancellationToken) == MonitorOutcome.Consistent ? ExitCodes.Success : ExitCodes.Failure;

    private static async Task<int> LoopAsync(MonitorCheck check, TimeSpan interval, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // A check that could not be made is reported and tried again; only an alert ends the watch.
                if (await check.RunAsync(cancellationToken) == MonitorOutcome.Alert)
                {
                    return ExitCodes.Failure;
                }

                await Task.Delay(interval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("monitor stopped");
            return ExitCodes.Success;
        }
    }
}
