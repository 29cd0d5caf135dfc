using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Vellum.Node;
using Vellum.Node.Cluster;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum cluster</c>: <c>up</c> runs a local cluster of N nodes in this process, for trying
/// replication out: node i serves its API on base port + 2i and its peer endpoint on the port
/// after, with its data in DIR/node{i}; run again on the same folder, it restarts the nodes.
/// <c>members</c> and <c>retire</c> (their own files) work on any running cluster.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "How many nodes (3, 5 or 7 keep a majority through failures).", HelpName = "N", DefaultValueFactory = _ => 3 };
        var data = new Option<string>("--data") { Description = "The folder holding each node's data folder.", HelpName = "DIR", DefaultValueFactory = _ => "./vellum-cluster" };
        var basePort = new Option<int>("--base-port") { Description = "Node i listens on this port + 2i (API) and the next (peers).", HelpName = "P", DefaultValueFactory = _ => 8443 };
        var up = new Command("up", "Start a local cluster of N nodes and print every endpoint; runs until Ctrl+C or SIGTERM. " + ExitCodes.HelpText) { nodes, data, basePort };
        up.SetAction(async (parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(nodes);
            var port = parseResult.GetValue(basePort);
            if (count is < 1 or > 15 || port is < 1 || port + (2 * count) > 65535)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: --nodes must be 1 to 15 and every port must fit under 65536.");
                return ExitCodes.Usage;
            }

            return await RunAsync(count, Path.GetFullPath(parseResult.GetRequiredValue(data)), port, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });
        return new Command("cluster", "Run a local cluster for trying Vellum out (up), list a cluster's members (members), or retire a node (retire).")
        {
            up,
            ClusterMembersCommand.Create(),
            ClusterRetireCommand.Create(),
        };
    }

    private static async Task<int> RunAsync(int count, string root, int basePort, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var running = new List<VellumNode>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var options = Options(root, basePort, i);
                if (i > 0 && !File.Exists(Path.Combine(options.DataDirectory, "vellum.json")))
                {
                    using var service = X509Certificate2.CreateFromPem(running[0].ServiceCertificatePem);
                    await NodeJoiner.JoinAsync(JoinOptions.For(options, $"127.0.0.1:{basePort}", service), cancellationToken);
                }

                running.Add(await VellumNode.StartAsync(options, cancellationToken));
            }

            using var stop = StopSignal.Listen(cancellationToken);
            PrintEndpoints(output, running);
            await stop.WaitAsync();
            output.WriteLine("Stopping every node...");
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is NodeStartException or IOException or InvalidDataException)
        {
            error.WriteLine($"error: the cluster did not start: {exception.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            for (var i = running.Count - 1; i >= 0; i--)
            {
                await running[i].DisposeAsync();
            }
        }
    }

    private static NodeOptions Options(string root, int basePort, int index) => new()
    {
        DataDirectory = Path.Combine(root, $"node{index}"),
        Listen = new IPEndPoint(IPAddress.Loopback, basePort + (2 * index)),
        PeerListen = new IPEndPoint(IPAddress.Loopback, basePort + (2 * index) + 1),
        LoggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning)),
    };

    private static void PrintEndpoints(TextWriter output, List<VellumNode> nodes)
    {
        var founder = nodes[0];
        output.WriteLine($"Vellum cluster \"{founder.LedgerName}\": {nodes.Count} node(s)");
        for (var i = 0; i < nodes.Count; i++)
        {
            output.WriteLine($"  node{i}: {nodes[i].BaseAddress.GetLeftPart(UriPartial.Authority)}  data {nodes[i].DataDirectory}");
        }

        output.WriteLine($"  service certificate: {founder.ServiceCertificatePath}");
        if (founder.CreatedAdministrator is { } admin)
        {
            output.WriteLine($"  Administrator certificate: {admin.Certificate}");
            output.WriteLine($"  Administrator key: {admin.Key}");
        }

        output.WriteLine("Writes sent to a backup are redirected (307) to the primary. Press Ctrl+C to stop.");
    }
}
