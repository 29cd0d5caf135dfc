using System.Text.Json;
using Vellum.Cli.Tests.Support;
using Vellum.Core.Identity;
using Vellum.Storage.Audit;

namespace Vellum.Cli.Tests.Commands;

/// <summary>
/// <c>vellum audit</c> on ledger files written in-process: a sound ledger audits, and every kind of
/// damage, reordering, gap, cut or foreign signer fails naming the transaction, file and offset.
/// </summary>
public sealed class AuditLedgerTests : IDisposable
{
    private readonly TempDirectory _files = new();
    private readonly ServiceIdentity _service = AuditLedgerBuilder.Service("audit-service");
    private readonly NodeIdentity _node;

    public AuditLedgerTests()
    {
        _node = AuditLedgerBuilder.Node(_service, "node-1");
    }

    private string LedgerDirectory => Path.Combine(_files.Path, "ledger");

    private string ServiceCertPath => _files.Write("service_cert.pem", _service.CertificatePem);

    public void Dispose()
    {
        _node.Dispose();
        _service.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task ASoundLedgerAuditsValidWithASummary()
    {
        await BuildAsync();

        var result = await CliResult.RunAsync("audit", _files.Path, "--service-cert", ServiceCertPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("valid", result.OutputLines[0]);
        Assert.Contains("entries           28 (seqnos 1-28), 7 signatures", result.Output, StringComparison.Ordinal);
        Assert.Contains($"service identity  {ServiceLineage.IdentityId(_service.CertificatePem)} signed seqnos 1 onwards", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFlippedByteAtEveryOffsetOfEveryFileFailsTheAudit()
    {
        await BuildAsync(rounds: 4);
        var options = new LedgerAuditOptions { ServiceCertificatePem = _service.CertificatePem, AllowOpenChunk = true };
        var files = LedgerAuditor.ChunkFilesIn(LedgerDirectory);
        Assert.True(files.Count >= 2, "the ledger spans a closed and an open chunk");
        Assert.True(LedgerAuditor.Audit(files, options).IsValid);
        foreach (var file in files)
        {
            var original = await File.ReadAllBytesAsync(file);
            for (var offset = 0; offset < original.Length; offset++)
            {
                var damaged = original.ToArray();
                damaged[offset] ^= 0x20;
                await File.WriteAllBytesAsync(file, damaged);

                var failure = LedgerAuditor.Audit(files, options).Failure;

                Assert.True(failure is not null, $"a flipped byte at offset {offset} of {Path.GetFileName(file)} went unnoticed");
                Assert.Equal(file, failure.Path);
                Assert.True(failure.Offset <= offset, $"byte {offset} of {Path.GetFileName(file)} was reported at offset {failure.Offset}: {failure.Reason}");
            }

            await File.WriteAllBytesAsync(file, original);
        }
    }

    [Fact]
    public async Task ChunksSwappedUnderEachOthersNamesFailTheAudit()
    {
        await BuildAsync();
        var closed = ClosedChunks();
        var (first, second) = (closed[0], closed[1]);
        File.Move(first, first + ".tmp");
        File.Move(second, first);
        File.Move(first + ".tmp", second);

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", ServiceCertPath);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"invalid: transaction seqno 1, {first} at byte 0:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChunkMissingInTheMiddleIsReported()
    {
        await BuildAsync();
        var files = LedgerAuditor.ChunkFilesIn(LedgerDirectory).OrderBy(FirstSeqno).ToList();
        File.Delete(files[1]);

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", ServiceCertPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{files[2]} at byte 0: seqnos ", result.Error, StringComparison.Ordinal);
        Assert.Contains("are missing before this chunk", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChunkCutShortFailsTheAudit()
    {
        await BuildAsync();
        var last = ClosedChunks()[^1];
        var bytes = await File.ReadAllBytesAsync(last);
        await File.WriteAllBytesAsync(last, bytes[..^60]);

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", ServiceCertPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(last, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALedgerCutBeforeItsFirstSignatureFails()
    {
        await using (var builder = await AuditLedgerBuilder.CreateAsync(LedgerDirectory))
        {
            await builder.WriteAsync(3, view: 1);
        }

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", ServiceCertPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no signature covers the 3 entries", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignerNotEndorsedByTheServiceFailsNamingItsTransaction()
    {
        using var other = AuditLedgerBuilder.Service("other-service");
        using var stranger = AuditLedgerBuilder.Node(other, "stranger");
        await using (var builder = await AuditLedgerBuilder.CreateAsync(LedgerDirectory))
        {
            await builder.WriteAsync(3, view: 1);
            await builder.SignAsync(_node, view: 1);
            await builder.WriteAsync(2, view: 2);
            await builder.SignAsync(stranger, view: 2);
        }

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", ServiceCertPath);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("invalid: transaction 2.7, ", result.Error, StringComparison.Ordinal);
        Assert.Contains("does not chain to the trusted service certificate", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonReportHasTheDocumentedFields()
    {
        await BuildAsync();

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", ServiceCertPath, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var report = document.RootElement;
        Assert.Equal(
            ["valid", "source", "entries", "signatures", "chunks", "bytes", "views", "unsignedEntries", "lastTransactionId", "lastSignedRoot", "serviceIdentities", "note", "seconds", "failure"],
            report.EnumerateObject().Select(property => property.Name).ToArray());
        Assert.True(report.GetProperty("valid").GetBoolean());
        Assert.Equal(28, report.GetProperty("entries").GetInt64());
        Assert.Equal("2.28", report.GetProperty("lastTransactionId").GetString());
        Assert.Equal(2, report.GetProperty("views").GetInt64());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("failure").ValueKind);
        var identity = Assert.Single(report.GetProperty("serviceIdentities").EnumerateArray());
        Assert.Equal(ServiceLineage.IdentityId(_service.CertificatePem), identity.GetProperty("id").GetString());
    }

    [Fact]
    public async Task JsonReportOfADamagedLedgerNamesTheFailure()
    {
        await BuildAsync();
        var chunk = ClosedChunks()[0];
        var bytes = await File.ReadAllBytesAsync(chunk);
        bytes[200] ^= 1;
        await File.WriteAllBytesAsync(chunk, bytes);

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", ServiceCertPath, "--json");

        Assert.Equal(1, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var failure = document.RootElement.GetProperty("failure");
        Assert.False(document.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(chunk, failure.GetProperty("file").GetString());
        Assert.True(failure.GetProperty("offset").GetInt64() <= 200);
        Assert.True(failure.GetProperty("seqno").GetInt64() >= 1);
        Assert.False(string.IsNullOrEmpty(failure.GetProperty("reason").GetString()));
    }

    /// <summary>
    /// Writes rounds of three writes and a signature, the first four in view 1 and the rest in
    /// view 2: three rounds fill a chunk, so seven make two closed chunks and an open one.
    /// </summary>
    private async Task BuildAsync(int rounds = 7)
    {
        await using var builder = await AuditLedgerBuilder.CreateAsync(LedgerDirectory);
        for (var round = 0; round < rounds; round++)
        {
            var view = round < 4 ? 1 : 2;
            await builder.WriteAsync(3, view);
            await builder.SignAsync(_node, view);
        }
    }

    private List<string> ClosedChunks() =>
        [.. LedgerAuditor.ChunkFilesIn(LedgerDirectory).Where(path => path.EndsWith(".chunk", StringComparison.Ordinal)).OrderBy(FirstSeqno)];

    private static long FirstSeqno(string path) => long.Parse(Path.GetFileName(path).Split('_', '-', '.')[1], System.Globalization.CultureInfo.InvariantCulture);
}
