using System.CommandLine;
using System.CommandLine.Invocation;
using Vellum.Cli.Commands;

namespace Vellum.Cli;

/// <summary>
/// The <c>vellum</c> command. Each command lives in its own file under <c>Commands/</c> and is
/// registered with one line in <see cref="CreateRootCommand"/>.
/// </summary>
internal static class Program
{
    /// <summary>The root command's description, shown at the top of <c>vellum --help</c>.</summary>
    public const string Description =
        "Vellum, a confidential ledger that speaks Azure Confidential Ledger's REST API. " + ExitCodes.HelpText;

    /// <summary>The root command with every command registered.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(Description);
        root.Subcommands.Add(StartCommand.Create());
        root.Subcommands.Add(JoinCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(MemberCommand.Create());
        root.Subcommands.Add(VerifyReceiptCommand.Create());
        root.Subcommands.Add(VerifyConsistencyCommand.Create());
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(BackupCommand.Create());
        root.Subcommands.Add(DeleteCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(VerifyBundleCommand.Create());
        root.Subcommands.Add(RecoverCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(AppendCommand.Create());
        root.Subcommands.Add(GetCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ReceiptCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(RolesCommand.Create());
        root.Subcommands.Add(ProfileCommand.Create());
        return root;
    }

    /// <summary>
    /// Runs the command line in-process, writing to <paramref name="output"/> and
    /// <paramref name="error"/> instead of the console. Process signals are left alone, so that a
    /// test host is not cancelled by them; <paramref name="cancellationToken"/> stands in for Ctrl+C.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = null,
        };
        return RunAsync(args, configuration, cancellationToken);
    }

    private static Task<int> Main(string[] args) =>
        RunAsync(args, new InvocationConfiguration { Output = Console.Out, Error = Console.Error }, CancellationToken.None);

    private static async Task<int> RunAsync(string[] args, InvocationConfiguration configuration, CancellationToken cancellationToken)
    {
        var parseResult = CreateRootCommand().Parse(args);

        // System.CommandLine exits with 1 after printing a parse error; a usage error gets its own
        // code so that scripts can tell it from a check that failed.
        var isUsageError = parseResult.Action is ParseErrorAction;
        if (isUsageError && parseResult.CommandResult.Command.Action is not null)
        {
            // A command that runs: one line on standard error, as for every other error, and nothing
            // on standard output. A group given no command (vellum, vellum member) still shows its help.
            configuration.Error.WriteLine($"error: {string.Join(" ", parseResult.Errors.Select(error => error.Message))}");
            return ExitCodes.Usage;
        }

        var exitCode = await parseResult.InvokeAsync(configuration, cancellationToken);
        return isUsageError ? ExitCodes.Usage : exitCode;
    }
}
