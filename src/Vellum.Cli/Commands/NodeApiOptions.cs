using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Cli.Commands;

/// <summary>
/// The options of a command that calls a node's API (<c>--target</c>, <c>--service-cert</c>,
/// <c>--cert</c>, <c>--key</c>), and the pinned client they make.
/// </summary>
internal sealed class NodeApiOptions
{
    private const long MaxPemBytes = 1024 * 1024;
    private readonly bool _callerRequired;

    /// <param name="callerRequired">Whether the command needs a caller's certificate and key; otherwise they are optional, together.</param>
    /// <param name="callerDescription">What the caller's certificate must be, for help.</param>
    public NodeApiOptions(bool callerRequired, string callerDescription)
    {
        _callerRequired = callerRequired;
        Target = new Option<string>("--target") { Description = "Any node of the ledger (its API address); a backup redirects to the primary.", HelpName = "HOST:PORT", Required = true };
        ServiceCert = new Option<string>("--service-cert") { Description = "The ledger's service certificate (PEM, or the identity endpoint's JSON), pinned: each node's TLS chain must end at it.", HelpName = "PEM", Required = true };
        Cert = new Option<string>("--cert") { Description = callerDescription, HelpName = "PEM", Required = callerRequired };
        Key = new Option<string>("--key") { Description = "The private key of --cert (PEM).", HelpName = "PEM", Required = callerRequired };
    }

    public Option<string> Target { get; }

    public Option<string> ServiceCert { get; }

    public Option<string> Cert { get; }

    public Option<string> Key { get; }

    public IEnumerable<Option> All => [Target, ServiceCert, Cert, Key];

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Makes the client and runs <paramref name="run"/> with it, or prints why the client cannot be made and
    /// returns that exit code (usage for a wrong command line, failure for a file that cannot be used).
    /// </summary>
    public async Task<int> RunAsync(ParseResult parseResult, Func<NodeApiClient, TextWriter, TextWriter, Task<int>> run)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        if (!TryCreateClient(parseResult, out var client, out var exitCode, out var problem))
        {
            error.WriteLine($"error: {problem}");
            return exitCode;
        }

        using (client)
        {
            return await run(client, output, error);
        }
    }

    /// <summary>Makes the client, or says why not and with which exit code: a wrong command line, or a file that cannot be used.</summary>
    public bool TryCreateClient(ParseResult parseResult, [NotNullWhen(true)] out NodeApiClient? client, out int exitCode, [NotNullWhen(false)] out string? problem)
    {
        client = null;
        exitCode = ExitCodes.Usage;
        var target = parseResult.GetRequiredValue(Target);
        var certPath = parseResult.GetValue(Cert);
        var keyPath = parseResult.GetValue(Key);
        if (!TryParseTarget(target, out var uri))
        {
            problem = $"--target must be HOST:PORT, not \"{target}\"";
            return false;
        }

        if ((certPath is null) != (keyPath is null))
        {
            problem = "--cert and --key go together";
            return false;
        }

        exitCode = ExitCodes.Failure;
        if (!TryReadServiceCertificate(parseResult, out var servicePem, out problem))
        {
            return false;
        }

        X509Certificate2? caller = null;
        if (certPath is not null && !TryLoadCaller(certPath, keyPath!, out caller, out problem))
        {
            return false;
        }

        Core.Invariant.Check(caller is not null || !_callerRequired, "a required caller certificate was given");
        client = new NodeApiClient(uri, X509Certificate2.CreateFromPem(servicePem), caller);
        return true;
    }

    /// <summary>Reads the <c>--service-cert</c> file as PEM, or says why it cannot be used.</summary>
    public bool TryReadServiceCertificate(ParseResult parseResult, [NotNullWhen(true)] out string? servicePem, [NotNullWhen(false)] out string? problem)
    {
        servicePem = null;
        return InputFile.TryReadText(parseResult.GetRequiredValue(ServiceCert), "service certificate", MaxPemBytes, out var serviceText, out problem)
            && ServiceCertificateText.TryRead(serviceText, out servicePem, out problem);
    }

    private static bool TryParseTarget(string target, [NotNullWhen(true)] out Uri? uri)
    {
        var colon = target.LastIndexOf(':');
        uri = null;
        return colon > 0
            && int.TryParse(target.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and < 65536
            && Uri.TryCreate($"https://{target}/", UriKind.Absolute, out uri)
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.UserInfo.Length == 0;
    }

    /// <summary>Loads a caller's certificate and key from PEM files, or says why they cannot be used.</summary>
    internal static bool TryLoadCaller(string certPath, string keyPath, [NotNullWhen(true)] out X509Certificate2? caller, [NotNullWhen(false)] out string? problem)
    {
        caller = null;
        if (!InputFile.TryReadText(certPath, "certificate", MaxPemBytes, out var certPem, out problem)
            || !InputFile.TryReadText(keyPath, "key", MaxPemBytes, out var keyPem, out problem))
        {
            return false;
        }

        try
        {
            // A PKCS#12 round trip gives a key every platform's TLS stack can use for a client handshake.
            using var loaded = X509Certificate2.CreateFromPem(certPem, keyPem);
            caller = X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
            return true;
        }
        catch (CryptographicException exception)
        {
            problem = $"the certificate \"{certPath}\" and key \"{keyPath}\" cannot be used together: {exception.Message}";
            return false;
        }
    }
}
