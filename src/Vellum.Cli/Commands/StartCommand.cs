using System.CommandLine;
using Vellum.Node;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum start</c>: runs a single node over a data folder, creating the ledger on first start
/// and resuming it afterwards, until Ctrl+C or SIGTERM.
/// </summary>
internal static class StartCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "start";

    private const string Description =
        "Start a Vellum node. The first start in a data folder creates the ledger, its service identity and an " +
        "initial Administrator (user_admin_cert.pem and user_admin_key.pem in the folder); later starts resume it. " +
        "Runs until Ctrl+C or SIGTERM, then shuts down cleanly. " + ExitCodes.HelpText;

    /// <summary>Creates the command with its options and action.</summary>
    public static Command Create()
    {
        var options = new StartOptions();
        var command = new Command(Name, Description);
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!options.TryBuild(parseResult, wait => WriteAwaitingShares(output, wait), out var nodeOptions, out var problem))
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.Usage;
            }

            return await RunAsync(nodeOptions, output, error, cancellationToken);
        });
        return command;
    }

    /// <summary>Tells the operator that a recovering node waits for its members' shares, and how they give them.</summary>
    public static void WriteAwaitingShares(TextWriter output, Vellum.Node.Recovery.RecoveryWait wait)
    {
        output.WriteLine($"Recovering: waiting for recovery shares at {wait.Address} ({wait.Threshold} of the {wait.Holders} members holding one must submit theirs).");
        output.WriteLine($"  Each member runs: vellum member submit-share --target {wait.Address.Authority} --service-cert DIR/service_cert.pem --cert MEMBER_cert.pem --key MEMBER_key.pem --encryption-key MEMBER_enc_key.pem");
        output.WriteLine("  Nothing is served and nothing is written until then.");
    }

    /// <summary>Starts a node with <paramref name="options"/> and runs it until stopped.</summary>
    public static async Task<int> RunAsync(NodeOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        VellumNode node;
        try
        {
            node = await VellumNode.StartAsync(options, cancellationToken);
        }
        catch (Exception exception) when (exception is NodeStartException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"error: the node did not start: {exception.Message}");
            return ExitCodes.Failure;
        }

        Exception? stopFailure = null;
        try
        {
            await using (node)
            {
                using var stop = StopSignal.Listen(cancellationToken);
                StartBanner.Write(output, node, options);
                await stop.WaitAsync();
                output.WriteLine("Stopping: finishing requests in flight and committing what was accepted...");
            }
        }
        catch (IOException exception)
        {
            stopFailure = exception;
        }

        // A node whose ledger failed while it ran stops as cleanly as it can, and says so once.
        if ((node.Fault ?? stopFailure) is { } fault)
        {
            error.WriteLine($"error: the node stopped after its ledger failed ({fault.Message.Split('\n')[0].Trim()}); what committed before the failure is in {Path.GetFullPath(options.DataDirectory)}: fix the cause, such as a full disk, and start it again.");
            return ExitCodes.Failure;
        }

        output.WriteLine($"Stopped. The ledger is in {Path.GetFullPath(options.DataDirectory)}.");
        return ExitCodes.Success;
    }
}
