using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Vellum.Storage.Audit;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum audit PATH|URL --service-cert PEM [--json]</c>: audits a ledger offline, with no
/// ledger key and no trust in its operator, from a data folder, its <c>ledger/</c> folder or a
/// backup, or from a node's chunk downloads (<see cref="LedgerAuditor"/> does the checking).
/// </summary>
internal static class AuditCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "audit";

    private const long MaxPemBytes = 1024 * 1024;

    private const string Description =
        "Audit a ledger offline, with no ledger key: every record's checksum, every entry's leaf, the Merkle root at every " +
        "signature, every signature, and every signing node certificate endorsed by the service certificate given (across " +
        "recoveries); no gap, reordering or cut. SOURCE is a data folder, its ledger/ folder, a backup folder, or " +
        "https://HOST:PORT of a node, whose committed chunks are downloaded (--cert/--key: a user with the Reader role). " +
        "Prints \"valid\" and a summary, or \"invalid: <transaction>, <file> at byte <offset>: <reason>\" on standard error. " +
        ExitCodes.HelpText;

    /// <summary>Creates the command with its argument, options and action.</summary>
    public static Command Create()
    {
        var source = new Argument<string>("SOURCE") { Description = "A data folder, a ledger/ folder, a backup folder, or https://HOST:PORT of a node." };
        var serviceCert = new Option<string>("--service-cert")
        {
            Description = "The trusted service certificate, obtained out of band (PEM, or the identity endpoint's JSON): every signer must chain to it.",
            HelpName = "PEM",
            Required = true,
        };
        var cert = new Option<string>("--cert") { Description = "For a node: the certificate of a user with read access (the Reader role).", HelpName = "PEM" };
        var key = new Option<string>("--key") { Description = "The private key of --cert (PEM).", HelpName = "PEM" };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object on standard output, valid or not." };
        var command = new Command(Name, Description) { source, serviceCert, cert, key, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            if ((parseResult.GetValue(cert) is null) != (parseResult.GetValue(key) is null))
            {
                error.WriteLine("error: --cert and --key go together");
                return ExitCodes.Usage;
            }

            if (!InputFile.TryReadText(parseResult.GetRequiredValue(serviceCert), "service certificate", MaxPemBytes, out var text, out var problem)
                || !ServiceCertificateText.TryRead(text, out var servicePem, out problem))
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.Failure;
            }

            var request = new AuditRequest(parseResult.GetRequiredValue(source), servicePem, parseResult.GetValue(cert), parseResult.GetValue(key), parseResult.GetValue(json));
            return await RunAsync(request, parseResult.InvocationConfiguration.Output, error, cancellationToken);
        });
        return command;
    }

    /// <summary>Audits the ledger <paramref name="request"/> names and reports on the two writers.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static async Task<int> RunAsync(AuditRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var interactive = !request.Json && AuditProgress.IsInteractive(output);
        var started = Stopwatch.GetTimestamp();
        string? downloadFolder = null;
        try
        {
            string? note = null;
            IReadOnlyList<string> files;
            if (request.Source.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                downloadFolder = Directory.CreateTempSubdirectory("vellum-audit-").FullName;
                (files, note) = await DownloadAsync(request, downloadFolder, interactive, cancellationToken);
            }
            else
            {
                files = LocalFiles(request.Source);
            }

            var options = new LedgerAuditOptions { ServiceCertificatePem = request.ServicePem, AllowOpenChunk = downloadFolder is null };
            var total = files.Sum(file => new FileInfo(file).Length);
            var report = await AuditProgress.RunAsync(interactive, "Auditing", total, progress =>
                Task.Run(() => LedgerAuditor.Audit(files, options with { Progress = progress }, cancellationToken), cancellationToken));
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (request.Json)
            {
                AuditReportWriter.WriteJson(report, request.Source, elapsed, note, output);
            }
            else
            {
                AuditReportWriter.WriteText(report, request.Source, elapsed, note, output, error);
            }

            return report.IsValid ? ExitCodes.Success : ExitCodes.Failure;
        }
        catch (Exception exception) when (exception is AuditSourceException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            error.WriteLine($"error: the ledger cannot be audited: {exception.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            if (downloadFolder is not null)
            {
                Directory.Delete(downloadFolder, recursive: true);
            }
        }
    }

    /// <summary>The chunk files of a data folder, its ledger/ folder or a backup folder.</summary>
    private static List<string> LocalFiles(string source)
    {
        if (!Directory.Exists(source))
        {
            throw new AuditSourceException($"{source} is not a folder");
        }

        // A data folder and a backup folder both keep their chunks in ledger/.
        var ledger = Path.Combine(source, "ledger");
        var folder = Directory.Exists(ledger) ? ledger : source;
        var files = LedgerAuditor.ChunkFilesIn(folder);
        return files.Count > 0 ? [.. files] : throw new AuditSourceException($"{folder} holds no ledger chunk file");
    }

    private static async Task<(IReadOnlyList<string> Files, string? Note)> DownloadAsync(AuditRequest request, string folder, bool interactive, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(request.Source, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            throw new AuditSourceException($"{request.Source} is not a node's address, https://HOST:PORT");
        }

        X509Certificate2? caller = null;
        if (request.CertPath is not null && !NodeApiOptions.TryLoadCaller(request.CertPath, request.KeyPath!, out caller, out var problem))
        {
            throw new AuditSourceException(problem);
        }

        using var client = new NodeApiClient(uri, X509Certificate2.CreateFromPem(request.ServicePem), caller);
        var download = new AuditDownload(client, folder);
        var chunks = await download.ListAsync(cancellationToken);
        var files = await AuditProgress.RunAsync(interactive, "Downloading", chunks.Sum(chunk => chunk.Bytes), async progress =>
        {
            var received = 0L;
            var total = new CallbackProgress(bytes => progress.Report(received += bytes));
            var paths = new List<string>();
            foreach (var (name, _, sha256) in chunks)
            {
                paths.Add(await download.DownloadAsync(name, sha256, total, cancellationToken));
            }

            return paths;
        });
        var note = download.NotCommitted == 0 ? null : $"{download.NotCommitted} chunk(s) the node does not serve yet (the open chunk, and closed ones holding uncommitted entries)";
        return (files, note);
    }
}
