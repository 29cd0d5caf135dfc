using System.Net;
using Vellum.Cli.Tests.Support;

namespace Vellum.Cli.Tests.Cluster;

/// <summary>
/// One node of a cluster as a real <c>vellum</c> process, on fixed addresses so that it can be
/// killed and started again on the same ones: its API on loopback, its peer endpoint on a
/// loopback address of its own (connections to other nodes leave from it), and optionally a
/// proxy's address advertised in front of that.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private const int SigKill = 9;
    private RunningVellum? _process;
    private string _earlierOutput = string.Empty;

    public NodeProcess(int index, string dataDirectory, int apiPort, IPEndPoint peerListen, IPEndPoint? peerAdvertise)
    {
        Index = index;
        DataDirectory = dataDirectory;
        ApiAddress = $"127.0.0.1:{apiPort}";
        PeerListen = peerListen;
        PeerAdvertise = peerAdvertise;
        BaseAddress = new Uri($"https://{ApiAddress}");
    }

    public int Index { get; }

    public string DataDirectory { get; }

    public string ApiAddress { get; }

    public IPEndPoint PeerListen { get; }

    public IPEndPoint? PeerAdvertise { get; }

    public Uri BaseAddress { get; }

    public bool IsRunning => _process is not null;

    /// <summary>Everything every run of this node printed, for failure messages.</summary>
    public string Output => _earlierOutput + (_process is null ? string.Empty : _process.Output + _process.Error);

    /// <summary>Creates the ledger in the folder (the founder) and serves it.</summary>
    public Task FoundAsync() => RunAsync(["start", .. Addresses()]);

    /// <summary>Joins the ledger that <paramref name="target"/> serves, then serves it.</summary>
    public Task JoinAsync(NodeProcess target, string serviceCertificatePath) =>
        RunAsync(["join", "--target", target.ApiAddress, "--service-cert", serviceCertificatePath, .. Addresses()]);

    /// <summary>Starts the node again on its own folder, as an operator would after a crash.</summary>
    public Task RestartAsync() => RunAsync(["start", .. Addresses()]);

    /// <summary>SIGKILL: no shutdown code runs. Completes once the process is gone.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"node {Index} is not running.");
        process.Signal(SigKill);
        Assert.NotEqual(0, await process.WaitForExitAsync());
        _earlierOutput += process.Output + process.Error;
        _process = null;
        process.Dispose();
    }

    private string[] Addresses()
    {
        string[] addresses = ["--data", DataDirectory, "--listen", ApiAddress, "--peer-listen", PeerListen.ToString()];
        return PeerAdvertise is null ? addresses : [.. addresses, "--peer-advertise", PeerAdvertise.ToString()];
    }

    private async Task RunAsync(string[] args)
    {
        Assert.Null(_process);
        var process = RunningVellum.Start(args);
        try
        {
            await process.WaitForLineAsync("Press Ctrl+C to stop.");
        }
        catch
        {
            process.Dispose();
            throw;
        }

        _process = process;
    }

    public void Dispose()
    {
        _process?.Dispose();
        _process = null;
    }
}
