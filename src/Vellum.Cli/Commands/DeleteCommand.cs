using System.CommandLine;
using Vellum.Node;
using Vellum.Node.Setup;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum delete --data DIR [--yes]</c>: erases a stopped node's ledger and key material
/// after the user types the ledger's name at the terminal; <c>--yes</c> skips the question for
/// scripts. Without <c>--yes</c> and without a terminal to ask on, it refuses.
/// </summary>
internal static class DeleteCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "delete";

    private const string Description =
        "Erase a data folder: overwrite its private keys and service secret, delete the ledger and every other file, and " +
        "remove the folder. Asks for the ledger's name first unless --yes is given; refuses while a node runs on the " +
        "folder. Backups are not touched, and a backup folder is refused. " + ExitCodes.HelpText;

    /// <summary>Creates the command with its options and action.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The data folder to erase.", HelpName = "DIR", Required = true };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation (for scripts)." };
        var command = new Command(Name, Description) { data, yes };
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(data),
            parseResult.GetValue(yes),
            Console.IsInputRedirected ? null : Console.In,
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Erases <paramref name="dataDirectory"/> once confirmed.</summary>
    /// <param name="dataDirectory">The data folder.</param>
    /// <param name="confirmed">True when <c>--yes</c> was given.</param>
    /// <param name="terminal">Where the confirmation is read from; null when there is no terminal to ask on.</param>
    /// <param name="output">Where the question and the outcome are written.</param>
    /// <param name="error">Where a refusal is written.</param>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static int Run(string dataDirectory, bool confirmed, TextReader? terminal, TextWriter output, TextWriter error)
    {
        var root = Path.GetFullPath(dataDirectory);
        try
        {
            // A folder whose first start or recovery was cut short has no ledger name yet; the
            // folder's own name is typed instead.
            var ledgerName = DataFolderEraser.ReadLedgerName(root);
            var (what, confirmation, nameOf) = ledgerName is null
                ? ("the unfinished ledger", Path.GetFileName(root), "folder")
                : ($"ledger \"{ledgerName}\"", ledgerName, "ledger");
            if (!confirmed)
            {
                if (terminal is null)
                {
                    error.WriteLine("error: refusing to delete without confirmation: standard input is not a terminal. Pass --yes to delete from a script.");
                    return ExitCodes.Failure;
                }

                output.Write($"This erases {what} in {root} and its keys, irrecoverably. Type the {nameOf} name to confirm: ");
                if (terminal.ReadLine()?.Trim() != confirmation)
                {
                    error.WriteLine($"error: the name typed is not the {nameOf}'s; nothing was deleted.");
                    return ExitCodes.Failure;
                }
            }

            DataFolderEraser.Erase(root);
            output.WriteLine($"Deleted {what} and its keys: {root} is gone. Backups of it, if any, are not.");
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is NodeStartException or InvalidDataException)
        {
            error.WriteLine($"error: {exception.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: the delete failed part way and may have left files in {root}: {exception.Message}");
            return ExitCodes.Failure;
        }
    }
}
