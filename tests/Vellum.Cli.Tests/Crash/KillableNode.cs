using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Vellum.Cli.Tests.Support;

namespace Vellum.Cli.Tests.Crash;

/// <summary>
/// <c>vellum start</c> as a real process over a data folder, with an HTTP client that presents the
/// initial Administrator's certificate and trusts only the chain ending at the folder's service
/// certificate. <see cref="KillAsync"/> sends SIGKILL: no shutdown code runs.
/// </summary>
internal sealed class KillableNode : IDisposable
{
    public const string ApiVersion = "2024-08-22-preview";
    private const int SigKill = 9;

    private readonly RunningVellum _process;
    private readonly X509Certificate2 _admin;
    private readonly X509Certificate2 _service;

    private KillableNode(RunningVellum process, Uri baseAddress, string serviceCertificatePath, string adminDirectory)
    {
        _process = process;
        ServiceCertificatePem = File.ReadAllText(serviceCertificatePath);
        _service = X509Certificate2.CreateFromPem(ServiceCertificatePem);
        _admin = X509Certificate2.CreateFromPemFile(Path.Combine(adminDirectory, "user_admin_cert.pem"), Path.Combine(adminDirectory, "user_admin_key.pem"));
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [_admin],
                RemoteCertificateValidationCallback = (_, presented, _, errors) => Vellum.Node.ReachableAddress.ChainEndsAt(_service, presented, errors),
            },
        };
        Client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public string ServiceCertificatePem { get; }

    /// <summary>The node's API address as <c>--target</c> takes it.</summary>
    public string Target => Client.BaseAddress!.Authority;

    public string Output => _process.Output + _process.Error;

    /// <summary>Starts the node and completes once it prints that it serves (never after a fixed time).</summary>
    public static Task<KillableNode> StartAsync(string dataDirectory, params string[] extraArgs) =>
        AttachAsync(RunningVellum.Start(["start", "--data", dataDirectory, "--listen", "127.0.0.1:0", .. extraArgs]), Path.Combine(dataDirectory, "service_cert.pem"), dataDirectory);

    /// <summary>
    /// Takes over <paramref name="process"/> (a start, or a recovery past its shares) once it prints
    /// that it serves, with the service certificate and the Administrator's files given.
    /// </summary>
    public static async Task<KillableNode> AttachAsync(RunningVellum process, string serviceCertificatePath, string adminDirectory)
    {
        try
        {
            var serving = await process.WaitForLineAsync("serving at https://");
            await process.WaitForLineAsync("Press Ctrl+C to stop.");
            var url = serving[serving.IndexOf("https://", StringComparison.Ordinal)..].Trim();
            return new KillableNode(process, new Uri(url), serviceCertificatePath, adminDirectory);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL, then waits until the process is gone (so the next start finds the ledger unlocked).</summary>
    public async Task KillAsync()
    {
        _process.Signal(SigKill);
        Assert.NotEqual(0, await _process.WaitForExitAsync());
    }

    /// <summary>SIGTERM, and the clean exit it must cause.</summary>
    public async Task StopAsync()
    {
        _process.Signal(RunningVellum.SigTerm);
        var exitCode = await _process.WaitForExitAsync();
        Assert.True(exitCode == 0, $"vellum exited with {exitCode} when stopped.\nstdout:\n{_process.Output}\nstderr:\n{_process.Error}");
    }

    public static string App(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "api-version=" + ApiVersion;

    public void Dispose()
    {
        Client.Dispose();
        _process.Dispose();
        _admin.Dispose();
        _service.Dispose();
    }
}
