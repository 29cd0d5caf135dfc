using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Compatibility;

/// <summary>
/// One run of <c>tests/compat-js/acl-client.mjs</c> (ACL's official JavaScript client) against a
/// fresh node, shared by the tests that check its parts. The run happens once per test class;
/// where node or the client is missing it does not happen, and <see cref="Result"/> fails with why.
/// </summary>
public sealed class JavaScriptClientRun : IAsyncLifetime, IDisposable
{
    /// <summary>Small enough that the 25 paged entries span several pages.</summary>
    public const int PageSize = 7;

    public const int PagedEntries = 25;

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    private readonly TemporaryDirectory _files = new();
    private TestNode? _node;
    private NodeScriptOutput? _output;
    private JsonDocument? _result;

    /// <summary>The node's service certificate, PEM.</summary>
    public string ServiceCertificatePem => Node.Node.ServiceCertificatePem;

    public string LedgerName => Node.Node.LedgerName;

    /// <summary>The SHA-256 fingerprint of the service certificate, in the colon form Node prints.</summary>
    public string ServiceCertificateFingerprint => TestCertificates.ColonFingerprint(Node.ServiceCertificate);

    /// <summary>The user the script adds and deletes, created here with its key.</summary>
    public X509Certificate2 NewUser { get; } = TestCertificates.CreateEc("JavaScript client's new user");

    /// <summary>The script's JSON result line, whether or not the script ran every step.</summary>
    public JsonElement Result => (_result ?? throw NotRun()).RootElement;

    public int ExitCode => Output.ExitCode;

    /// <summary>How the script ended: its exit code, the step it reached, its error and stderr.</summary>
    public string Outcome => $"acl-client.mjs exited {ExitCode} at step \"{Result.GetProperty("step").GetString()}\": " +
        $"{(Result.TryGetProperty("error", out var error) ? error.GetString() : "no error")}\nstderr:\n{Output.StandardError}";

    /// <summary>One part of the result (identity, write, paging, users, governance); fails with the script's error when it stopped before it.</summary>
    public JsonElement Section(string name)
    {
        Assert.True(Result.TryGetProperty(name, out var section), $"No \"{name}\" in the result: {Outcome}");
        return section;
    }

    /// <summary>The receipt body exactly as the script received it.</summary>
    public string ReceiptBody => File.ReadAllText(Section("write").GetProperty("receiptFile").GetString()!);

    private NodeScriptOutput Output => _output ?? throw NotRun();

    private TestNode Node => _node ?? throw new InvalidOperationException(CompatJs.MissingReason ?? "The node did not start.");

    public async Task InitializeAsync()
    {
        if (CompatJs.MissingReason is not null)
        {
            return;
        }

        _node = await TestNode.StartAsync(options => new NodeOptions
        {
            DataDirectory = options.DataDirectory,
            Listen = options.Listen,
            MaxEntriesPerPage = PageSize,
        });
        _output = await NodeScript.RunAsync(Path.Combine(CompatJs.Directory, "acl-client.mjs"), Arguments(), Environment(), ScriptTimeout);
        var lines = _output.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"acl-client.mjs should print one JSON line; it printed:\n{_output.StandardOutput}\nstderr:\n{_output.StandardError}");
        _result = JsonDocument.Parse(lines[0]);
    }

    private List<string> Arguments()
    {
        var otherCa = Path.Combine(_files.Path, "other_ca.pem");
        File.WriteAllText(otherCa, OtherCertificateAuthorityPem());
        var userCertificate = Path.Combine(_files.Path, "new_user_cert.pem");
        var userKey = Path.Combine(_files.Path, "new_user_key.pem");
        File.WriteAllText(userCertificate, NewUser.ExportCertificatePem());
        using (var key = NewUser.GetECDsaPrivateKey()!)
        {
            File.WriteAllText(userKey, key.ExportPkcs8PrivateKeyPem());
        }

        var output = Path.Combine(_files.Path, "out");
        Directory.CreateDirectory(output);
        return
        [
            "--endpoint", $"https://localhost:{Node.Node.Endpoint.Port}",
            "--ledger-id", LedgerName,
            "--cert", Path.Combine(Node.DataDirectory, "user_admin_cert.pem"),
            "--key", Path.Combine(Node.DataDirectory, "user_admin_key.pem"),
            "--other-ca", otherCa,
            "--user-cert", userCertificate,
            "--user-key", userKey,
            "--paged-entries", PagedEntries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--out", output,
        ];
    }

    // ACL's identity service is reached over public PKI; here the node serves its own identity, so
    // the service certificate joins Node's default trust store for that fetch only. Every ledger
    // call then pins the fetched certificate through tlsOptions.ca, which replaces that store.
    private Dictionary<string, string> Environment() => new()
    {
        ["NODE_EXTRA_CA_CERTS"] = Path.Combine(Node.DataDirectory, "service_cert.pem"),
    };

    private static Xunit.Sdk.XunitException NotRun() => new(CompatJs.MissingReason ?? "The JavaScript client did not run.");

    // A real CA that did not issue the node's certificate: pinning to it must fail the handshake.
    private static string OtherCertificateAuthorityPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Some Other Ledger", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }

    // xunit disposes a fixture asynchronously first (the node), then synchronously (its files).
    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _result?.Dispose();
        NewUser.Dispose();
        _files.Dispose();
    }
}
