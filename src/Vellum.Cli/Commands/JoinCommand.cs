using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node;
using Vellum.Node.Cluster;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum join</c>: makes a new node a member of an existing ledger, then runs it like
/// <c>vellum start</c>. Later starts of the same folder use <c>vellum start</c>.
/// </summary>
internal static class JoinCommand
{
    public const string Name = "join";

    private const string Description =
        "Join a new node to an existing ledger: it presents a certificate request and its attestation to --target, " +
        "is admitted, receives the service's key material and writes it to --data, then catches up and runs until " +
        "Ctrl+C or SIGTERM. Restart it later with vellum start --data DIR. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "Any node of the ledger (its API address).", HelpName = "HOST:PORT", Required = true };
        var serviceCert = new Option<string>("--service-cert") { Description = "The ledger's service certificate (PEM), pinned for the join.", HelpName = "PEM", Required = true };
        var options = new StartOptions();
        var command = new Command(Name, Description) { target, serviceCert };
        options.AddWithoutCreation(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (options.CreationRefusal(parseResult, "join", "the ledger joined") is { } refusal)
            {
                error.WriteLine($"error: {refusal}");
                return ExitCodes.Usage;
            }

            if (!options.TryBuild(parseResult, wait => StartCommand.WriteAwaitingShares(parseResult.InvocationConfiguration.Output, wait), out var nodeOptions, out var problem))
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.Usage;
            }

            if (nodeOptions.Listen.Port == 0 || (nodeOptions.PeerListen?.Port == 0 && nodeOptions.PeerAdvertise is null))
            {
                error.WriteLine("error: --listen and --peer-listen need fixed ports to join: the other nodes record them.");
                return ExitCodes.Usage;
            }

            X509Certificate2 service;
            try
            {
                service = X509Certificate2.CreateFromPem(File.ReadAllText(parseResult.GetRequiredValue(serviceCert)));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                error.WriteLine($"error: cannot read the service certificate: {exception.Message}");
                return ExitCodes.Failure;
            }

            using (service)
            {
                try
                {
                    // A ledger whose joins the consortium approves holds the request until a
                    // member's proposal trusts this node's id; the operator needs that id.
                    var output = parseResult.InvocationConfiguration.Output;
                    var joinOptions = JoinOptions.For(nodeOptions, parseResult.GetRequiredValue(target), service) with
                    {
                        WhilePending = nodeId => output.WriteLine($"Waiting for the consortium to trust node {nodeId}: a member proposes transition_node_to_trusted with node_id={nodeId} (vellum member propose), and the node asks again every few seconds."),
                    };
                    await NodeJoiner.JoinAsync(joinOptions, cancellationToken);
                }
                catch (NodeStartException exception)
                {
                    error.WriteLine($"error: the node did not join: {exception.Message}");
                    return ExitCodes.Failure;
                }
            }

            return await StartCommand.RunAsync(nodeOptions, parseResult.InvocationConfiguration.Output, error, cancellationToken);
        });
        return command;
    }
}
