using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Vellum.Node;
using Vellum.Node.Authentication.Jwt;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum start</c>: runs a single node over a data folder, creating the ledger on first start
/// and resuming it afterwards, until Ctrl+C or SIGTERM.
/// </summary>
internal static class StartCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "start";

    private const string Description =
        "Start a Vellum node. The first start in a data folder creates the ledger, its service identity and an " +
        "initial Administrator (user_admin_cert.pem and user_admin_key.pem in the folder); later starts resume it. " +
        "Runs until Ctrl+C or SIGTERM, then shuts down cleanly. " + ExitCodes.HelpText;

    /// <summary>Creates the command with its options and action.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The data folder.", HelpName = "DIR", DefaultValueFactory = _ => "./" + NodeOptions.DefaultDataDirectory };
        var listen = new Option<string>("--listen") { Description = "The address and port to listen on.", HelpName = "HOST:PORT", DefaultValueFactory = _ => $"127.0.0.1:{NodeOptions.DefaultPort}" };
        var ledgerType = new Option<string?>("--ledger-type") { Description = "public or private; fixed when the ledger is created (default public).", HelpName = "TYPE" };
        ledgerType.AcceptOnlyFromAmong("public", "private");
        var name = new Option<string?>("--name") { Description = $"The ledger's name (its ledger id); fixed when the ledger is created (default {NodeOptions.DefaultName}).", HelpName = "ID" };
        var adminCert = new Option<string?>("--admin-cert") { Description = "On first start, make this existing certificate (PEM) the initial Administrator instead of creating one.", HelpName = "FILE" };
        var jwtIssuers = new Option<string[]>("--jwt-issuer") { Description = "Accept bearer tokens from this OpenID issuer (https URL); repeatable.", HelpName = "URL", AllowMultipleArgumentsPerToken = false };
        var jwtAudiences = new Option<string[]>("--jwt-audience") { Description = $"An audience bearer tokens may carry; repeatable (default {JwtOptions.DefaultAudience}).", HelpName = "AUDIENCE" };
        var jwtIssuerCa = new Option<string?>("--jwt-issuer-ca") { Description = "Trust this CA certificate (PEM) for the issuers' HTTPS, instead of the system's.", HelpName = "FILE" };
        var command = new Command(Name, Description) { data, listen, ledgerType, name, adminCert, jwtIssuers, jwtAudiences, jwtIssuerCa };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!TryBuildOptions(parseResult, data, listen, ledgerType, name, adminCert, jwtIssuers, jwtAudiences, jwtIssuerCa, error, out var options))
            {
                return ExitCodes.Usage;
            }

            return await RunAsync(options, output, error, cancellationToken);
        });
        return command;
    }

    private static bool TryBuildOptions(
        ParseResult parseResult,
        Option<string> data,
        Option<string> listen,
        Option<string?> ledgerType,
        Option<string?> name,
        Option<string?> adminCert,
        Option<string[]> jwtIssuers,
        Option<string[]> jwtAudiences,
        Option<string?> jwtIssuerCa,
        TextWriter error,
        out NodeOptions options)
    {
        options = null!;
        if (!ListenAddress.TryParse(parseResult.GetRequiredValue(listen), out var endpoint, out var host, out var problem))
        {
            error.WriteLine($"error: --listen {problem}");
            return false;
        }

        var issuers = parseResult.GetValue(jwtIssuers) ?? [];
        var audiences = parseResult.GetValue(jwtAudiences) ?? [];
        X509Certificate2? admin = null;
        X509Certificate2Collection anchors = [];
        try
        {
            if (parseResult.GetValue(adminCert) is { } adminPath)
            {
                admin = X509Certificate2.CreateFromPemFile(adminPath);
            }

            if (parseResult.GetValue(jwtIssuerCa) is { } caPath)
            {
                anchors.ImportFromPemFile(caPath);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            error.WriteLine($"error: cannot read a certificate: {exception.Message}");
            return false;
        }

        options = new NodeOptions
        {
            DataDirectory = parseResult.GetRequiredValue(data),
            Listen = endpoint,
            PublicHost = host,
            LedgerType = parseResult.GetValue(ledgerType) switch { "public" => LedgerType.Public, "private" => LedgerType.Private, _ => null },
            Name = parseResult.GetValue(name),
            AdminCertificate = admin,
            Jwt = new JwtOptions
            {
                Issuers = issuers,
                Audiences = audiences.Length == 0 ? [JwtOptions.DefaultAudience] : audiences,
                IssuerTrustAnchors = anchors.Count == 0 ? null : anchors,
            },
            LoggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning)),
        };
        return true;
    }

    private static async Task<int> RunAsync(NodeOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        VellumNode node;
        try
        {
            node = await VellumNode.StartAsync(options, cancellationToken);
        }
        catch (Exception exception) when (exception is NodeStartException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"error: the node did not start: {exception.Message}");
            return ExitCodes.Failure;
        }

        await using (node)
        {
            StartBanner.Write(output, node, options);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                output.WriteLine("Stopping: finishing requests in flight and committing what was accepted...");
            }
        }

        output.WriteLine($"Stopped. The ledger is in {Path.GetFullPath(options.DataDirectory)}.");
        return ExitCodes.Success;
    }
}
