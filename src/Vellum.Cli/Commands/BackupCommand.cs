using System.CommandLine;
using Vellum.Node.Backup;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum backup --data DIR --to BACKUP</c>: copies a data folder's committed, closed ledger
/// chunks and public identity into a backup folder with a manifest of hashes; safe while a node
/// runs on the folder. <c>vellum backup verify BACKUP</c> checks a backup.
/// </summary>
internal static class BackupCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "backup";

    private const string Description =
        "Back up a data folder's committed ledger chunks, its service certificate and its settings (no private key or " +
        "secret) into a backup folder, with manifest.json listing every file's SHA-256. Works while a node runs on the " +
        "folder; files already in the backup are not copied again (with --recheck, every chunk's copy is hashed first and " +
        "a damaged one copied again). Refuses a folder holding other files or another ledger's backup. " + ExitCodes.HelpText;

    /// <summary>Creates the command with its options, its action and <c>verify</c>.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "The node's data folder.", HelpName = "DIR" };
        var to = new Option<string?>("--to") { Description = "The backup folder; created when missing.", HelpName = "BACKUP" };
        var recheck = new Option<bool>("--recheck")
        {
            Description = "Hash every chunk the backup already holds against its manifest and copy again any that is damaged or missing (what backup verify reports as changed).",
        };
        var command = new Command(Name, Description) { data, to, recheck, CreateVerify() };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (parseResult.GetValue(data) is not { } dataDirectory || parseResult.GetValue(to) is not { } backupDirectory)
            {
                error.WriteLine("error: vellum backup needs --data DIR and --to BACKUP (or: vellum backup verify BACKUP).");
                return ExitCodes.Usage;
            }

            return await RunAsync(dataDirectory, backupDirectory, parseResult.GetValue(recheck), parseResult.InvocationConfiguration.Output, error, cancellationToken);
        });
        return command;
    }

    /// <summary>Backs <paramref name="dataDirectory"/> up into <paramref name="backupDirectory"/>.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static async Task<int> RunAsync(string dataDirectory, string backupDirectory, bool recheck, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var result = await LedgerBackup.RunAsync(dataDirectory, backupDirectory, committedSeqno: null, recheck, cancellationToken);
            var manifest = result.Manifest;
            if (result.Repaired.Count > 0)
            {
                output.WriteLine($"Copied again {result.Repaired.Count} chunk(s) whose copy in the backup was missing or damaged: {string.Join(", ", result.Repaired)}.");
            }

            output.WriteLine($"Backed up ledger \"{manifest.LedgerName}\" to {Path.GetFullPath(backupDirectory)}: copied {result.CopiedFiles} file(s), {result.CopiedBytes} bytes.");
            output.WriteLine(manifest.LastSeqno == 0
                ? "The backup holds no chunk yet: the ledger has no closed chunk whose entries are all committed."
                : $"It holds seqnos 1-{manifest.LastSeqno}, up to transaction {manifest.LastView}.{manifest.LastSeqno} signing root {manifest.LastSignedRoot}.");
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is BackupException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: the backup failed: {exception.Message}");
            return ExitCodes.Failure;
        }
    }

    private static Command CreateVerify()
    {
        var backup = new Argument<string>("BACKUP") { Description = "The backup folder." };
        var verify = new Command(
            "verify",
            "Check a backup: every file against the manifest's length and SHA-256, no file missing or extra, and the chunks a " +
            "contiguous ledger from seqno 1 whose every signature verifies and whose signers chain to the backup's service " +
            "certificate, as recover checks. Prints \"valid\" and a summary, or \"invalid: " +
            "<reason>\" on standard error. " + ExitCodes.HelpText)
        {
            backup,
        };
        verify.SetAction(async (parseResult, cancellationToken) =>
            await VerifyAsync(parseResult.GetRequiredValue(backup), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return verify;
    }

    /// <summary>Verifies the backup in <paramref name="backupDirectory"/>.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static async Task<int> VerifyAsync(string backupDirectory, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(backupDirectory))
        {
            error.WriteLine($"error: the backup folder {backupDirectory} does not exist.");
            return ExitCodes.Failure;
        }

        BackupVerification result;
        try
        {
            result = await BackupVerifier.VerifyAsync(backupDirectory, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"invalid: a file cannot be read: {exception.Message}");
            return ExitCodes.Failure;
        }

        if (!result.IsValid)
        {
            error.WriteLine($"invalid: {result.Reason}");
            error.WriteLine("A chunk missing or damaged in the backup is copied again from a node's data folder that still holds it: vellum backup --data DIR --to BACKUP --recheck.");
            return ExitCodes.Failure;
        }

        var manifest = result.Manifest!;
        output.WriteLine("valid");
        output.WriteLine($"ledger \"{manifest.LedgerName}\", {manifest.Files.Count} files, {result.Bytes} bytes, {result.Chunks} chunk(s), " +
            (manifest.LastSeqno == 0 ? "no entries" : $"seqnos 1-{manifest.LastSeqno}, last transaction {manifest.LastView}.{manifest.LastSeqno}, signed root {manifest.LastSignedRoot}"));
        return ExitCodes.Success;
    }
}
