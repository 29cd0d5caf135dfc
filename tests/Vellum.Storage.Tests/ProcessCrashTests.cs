using System.Text;
using Vellum.Storage.Files;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

/// <summary>
/// The process dies (or an fsync fails and the ledger is reopened, as
/// <see cref="LedgerFaultedException"/> advises) while the machine keeps power: the page cache
/// survives, so recovery sees bytes that were never fsynced and must make them durable before
/// it reports them so. Each test then loses power several ways and checks what survives.
/// </summary>
public class ProcessCrashTests
{
    private const string Directory = "/ledger";
    private const int PowerLossReboots = 12;

    /// <summary>
    /// The process dies (or the fsync fails and the ledger is reopened, as
    /// <see cref="LedgerFaultedException"/> advises) after a closing chunk's footer is written but
    /// before the chunk is fsynced. Without a reboot the unsynced bytes are still in the page
    /// cache, so recovery sees a whole footer, renames the chunk and reports every entry durable
    /// without ever fsyncing the file. A power loss afterwards leaves a closed chunk with a torn
    /// tail, which recovery treats as corruption.
    /// </summary>
    [Fact]
    public async Task FinishingAnInterruptedCloseFsyncsTheChunkBeforeReportingItsEntriesDurable()
    {
        var disk = new SimulatedFileSystem();
        var crashing = new ProcessCrashFileSystem(disk) { CrashBeforeSyncingAClosedChunk = true };
        var driver = new LedgerDriver();
        var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, crashing));
        var crashed = false;
        while (!crashed)
        {
            await driver.AppendNextAsync(ledger);
            try
            {
                await ledger.FlushAsync();
            }
            catch (LedgerFaultedException)
            {
                crashed = true;
            }
        }

        await ledger.DisposeAsync();

        long reportedDurable;
        await using (var restarted = await Ledger.OpenAsync(LedgerDriver.Options(Directory, disk)))
        {
            reportedDurable = restarted.DurableSeqno;
        }

        Assert.Equal(driver.LastSeqno, reportedDurable);
        await AssertEveryRebootKeepsAsync(disk, reportedDurable);
    }

    /// <summary>
    /// The process dies (or the directory fsync fails) while a new chunk file is being created:
    /// its header is synced but its name is not. Reopened without a reboot, recovery adopts the
    /// file as the open chunk; from then on every flush fsyncs only the file, never the directory,
    /// so entries are reported durable while the file's name can still vanish in a power loss.
    /// </summary>
    [Fact]
    public async Task AnOpenChunkAdoptedByRecoveryHasItsNameMadeDurableBeforeItsEntriesAreReportedDurable()
    {
        var disk = new SimulatedFileSystem();
        var crashing = new ProcessCrashFileSystem(disk);
        var driver = new LedgerDriver();
        var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, crashing));
        await driver.AppendNextAsync(ledger);
        crashing.CrashBeforeSyncingTheDirectory = true;
        await Assert.ThrowsAsync<LedgerFaultedException>(() => ledger.FlushAsync());
        await ledger.DisposeAsync();

        long reportedDurable;
        await using (var restarted = await Ledger.OpenAsync(LedgerDriver.Options(Directory, disk)))
        {
            Assert.Equal(0, restarted.LastSeqno);
            await restarted.AppendAsync(driver.Entries[1]);
            for (var i = 0; i < 3; i++)
            {
                await driver.AppendNextAsync(restarted);
            }

            await restarted.FlushAsync();
            reportedDurable = restarted.DurableSeqno;
        }

        Assert.Equal(4, reportedDurable);
        await AssertEveryRebootKeepsAsync(disk, reportedDurable);
    }

    private static async Task AssertEveryRebootKeepsAsync(SimulatedFileSystem disk, long reportedDurable)
    {
        var failures = new StringBuilder();
        for (var seed = 0; seed < PowerLossReboots; seed++)
        {
            try
            {
                await using var rebooted = await Ledger.OpenAsync(LedgerDriver.Options(Directory, disk.Restart(new Random(seed))));
                if (rebooted.LastSeqno < reportedDurable)
                {
                    failures.AppendLine($"reboot {seed}: only {rebooted.LastSeqno} entries survived");
                }
            }
            catch (LedgerCorruptException error)
            {
                failures.AppendLine($"reboot {seed}: the ledger no longer opens: {error.Message}");
            }
        }

        Assert.True(failures.Length == 0, $"seqno {reportedDurable} was reported durable, then a power loss:{Environment.NewLine}{failures}");
    }
}
