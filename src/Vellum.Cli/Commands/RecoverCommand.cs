using System.CommandLine;
using Vellum.Node;
using Vellum.Node.Recovery;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum recover</c>: brings a ledger back from a backup after every node is lost. The backup
/// is restored into a new data folder under a new service identity; the node then waits for the
/// members' recovery shares (<c>vellum member submit-share</c>), recovers the ledger's secrets,
/// records the new identity endorsing the lost one, and serves once the members open it
/// (<c>transition_service_to_open</c>). See docs/operations.md, "Disaster recovery".
/// </summary>
internal static class RecoverCommand
{
    private const string Description =
        "Recover a ledger from a backup (vellum backup) into a new data folder under a new service identity, then run " +
        "it as vellum start does: it waits for the members' recovery shares, then serves, and opens to users once the " +
        "members accept transition_service_to_open. Receipts from before the disaster still verify, through the new " +
        "service's endorsement of the old one. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var options = new StartOptions();
        var backup = new Option<string>("--ledger") { Description = "The backup folder to recover from.", HelpName = "BACKUP", Required = true };
        var command = new Command("recover", Description) { backup };
        options.AddWithoutCreation(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (options.CreationRefusal(parseResult, "recover", "the backup") is { } refusal)
            {
                error.WriteLine($"error: {refusal}");
                return ExitCodes.Usage;
            }

            if (!options.TryBuild(parseResult, wait => StartCommand.WriteAwaitingShares(output, wait), out var nodeOptions, out var problem))
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.Usage;
            }

            try
            {
                var last = await RecoverySetup.PrepareAsync(parseResult.GetRequiredValue(backup), nodeOptions, cancellationToken);
                output.WriteLine($"Restored the backup's ledger up to seqno {last} into {Path.GetFullPath(nodeOptions.DataDirectory)}, under a new service identity (service_cert.pem).");
            }
            catch (Exception exception) when (exception is NodeStartException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                error.WriteLine($"error: cannot recover: {exception.Message}");
                return ExitCodes.Failure;
            }

            return await StartCommand.RunAsync(nodeOptions, output, error, cancellationToken);
        });
        return command;
    }
}
