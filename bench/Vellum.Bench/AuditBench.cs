using System.Diagnostics;
using System.Security.Cryptography;
using Vellum.Storage;
using Vellum.Storage.Audit;

namespace Vellum.Bench;

/// <summary>
/// <c>vellum audit</c>'s work (<see cref="LedgerAuditor"/>) over a ledger's chunk files, against
/// the floor of raw SHA-256 over the same files' bytes, read the same way.
/// </summary>
internal static class AuditBench
{
    private const int BufferBytes = 1 << 20;

    public static async Task RunAsync(BenchSettings settings)
    {
        var count = settings.Quick ? 20_000 : 200_000;
        var contentBytes = 1024;
        var directory = settings.FreshDirectory("audit");
        string servicePem;
        using (var entries = new BenchEntries())
        {
            servicePem = entries.ServiceCertificatePem;
            await using var ledger = await Ledger.OpenAsync(new LedgerOptions { Directory = directory });
            await entries.AppendAllAsync(ledger, BenchEntries.Writes(count, contentBytes));
        }

        var files = LedgerAuditor.ChunkFilesIn(directory);
        var bytes = files.Sum(file => new FileInfo(file).Length);
        // The ledger was just written, so its newest chunk may still be open (with 20,000 entries in --quick mode it is).
        var options = new LedgerAuditOptions { ServiceCertificatePem = servicePem, AllowOpenChunk = true };

        // Both read the files from the page cache: the first pass of each warms it and the JIT.
        var floor = 0.0;
        var audit = 0.0;
        for (var pass = 0; pass < 3; pass++)
        {
            floor = Math.Max(floor, bytes / Seconds(() => HashFiles(files)));
            audit = Math.Max(audit, bytes / Seconds(() => Audit(files, options)));
        }

        Report.Rate($"audit ({count:N0} entries, {contentBytes} B contents, {bytes / (1 << 20)} MiB)", audit / (1 << 20), "MiB/s", "SHA-256 of the files", floor / (1 << 20), target: 0.5, floorUnit: " MiB/s");
        Directory.Delete(directory, recursive: true);
    }

    private static double Seconds(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Audit(IReadOnlyList<string> files, LedgerAuditOptions options)
    {
        var report = LedgerAuditor.Audit(files, options);
        Core.Invariant.Check(report.IsValid, $"the benchmark's ledger audits: {report.Failure}");
    }

    private static void HashFiles(IReadOnlyList<string> files)
    {
        var buffer = new byte[BufferBytes];
        foreach (var path in files)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            GC.KeepAlive(hash.GetHashAndReset());
        }
    }
}
