using Vellum.Storage.Files;
using Vellum.Storage.Indexing;
using Vellum.Storage.Tests.Support;
using Xunit.Abstractions;

namespace Vellum.Storage.Tests;

/// <summary>
/// Loses power at every mutating file operation of a workload that appends, flushes, closes
/// chunks, writes checkpoints and reopens; then reboots the disk image several ways and checks
/// that what recovery finds is a prefix of what was appended, that nothing reported durable is
/// missing, and that the Merkle root over it matches a reference tree.
/// </summary>
public class CrashHarnessTests(ITestOutputHelper output)
{
    private const string Directory = "/ledger";
    private const int RestartsPerCrash = 3;

    [Fact]
    public async Task PowerLossAtEveryOperationKeepsEveryDurableEntryAndAPrefixOfTheRest()
    {
        var clean = new SimulatedFileSystem();
        await new Workload().RunAsync(clean);
        var operations = clean.MutatingOperations;
        Assert.True(operations > 150, $"the workload should exercise many operations, not {operations}");
        output.WriteLine($"Losing power at each of {operations} operations, rebooting {RestartsPerCrash} ways each.");

        for (var crashAt = 0L; crashAt < operations; crashAt++)
        {
            var fileSystem = new SimulatedFileSystem();
            fileSystem.LosePowerAfter(crashAt);
            var workload = new Workload();
            var died = await workload.RunUntilPowerLossAsync(fileSystem);
            Assert.True(died, $"power loss at operation {crashAt} of {operations} should stop the workload");
            for (var restart = 0; restart < RestartsPerCrash; restart++)
            {
                var image = fileSystem.Restart(new Random((int)(crashAt * RestartsPerCrash) + restart));
                await CheckRecoveryAsync(image, workload, $"power lost at operation {crashAt}, reboot {restart}");
            }
        }
    }

    [Fact]
    public async Task PowerLossDuringRecoveryFromAPowerLossStillKeepsEveryDurableEntry()
    {
        var clean = new SimulatedFileSystem();
        await new Workload().RunAsync(clean);
        for (var firstLoss = 3L; firstLoss < clean.MutatingOperations; firstLoss += 11)
        {
            var fileSystem = new SimulatedFileSystem();
            fileSystem.LosePowerAfter(firstLoss);
            var workload = new Workload();
            await workload.RunUntilPowerLossAsync(fileSystem);

            // A reboot image with nothing pending restarts into an exact copy, whatever the seed.
            var image = fileSystem.Restart(new Random((int)firstLoss));
            var recoveryOperations = await OperationsToRecoverAsync(image.Restart(new Random(0)));
            for (var secondLoss = 0L; secondLoss < recoveryOperations; secondLoss++)
            {
                var disk = image.Restart(new Random(0));
                disk.LosePowerAfter(secondLoss);
                try
                {
                    await using var recovering = await Ledger.OpenAsync(LedgerDriver.Options(Directory, disk));
                }
                catch (Exception error) when (error is PowerLossException || error.InnerException is PowerLossException)
                {
                }

                await CheckRecoveryAsync(disk.Restart(new Random((int)secondLoss)), workload, $"power lost at operation {firstLoss}, then at operation {secondLoss} of the recovery");
            }
        }
    }

    [Fact]
    public async Task PowerLossDuringBackgroundGroupCommitKeepsEveryDurableEntry()
    {
        // The flusher thread's timing varies, so crash points are drawn from a seeded generator
        // and every outcome is checked against the same invariants.
        var random = new Random(99);
        for (var run = 0; run < 40; run++)
        {
            var fileSystem = new SimulatedFileSystem();
            fileSystem.LosePowerAfter(random.Next(5, 160));
            var workload = new Workload(background: true);
            await workload.RunUntilPowerLossAsync(fileSystem);
            await CheckRecoveryAsync(fileSystem.Restart(new Random(run)), workload, $"background run {run}");
        }
    }

    [Fact]
    public async Task AProcessKilledAtAnyOperationRecoversAndThenSurvivesAPowerLoss()
    {
        var clean = new SimulatedFileSystem();
        await new Workload().RunAsync(clean);
        for (var killAt = 0L; killAt < clean.MutatingOperations; killAt++)
        {
            var fileSystem = new SimulatedFileSystem();
            fileSystem.LosePowerAfter(killAt);
            var workload = new Workload();
            await workload.RunUntilPowerLossAsync(fileSystem);

            // The process restarts on the same page cache; whatever recovery then reports durable
            // must survive the power loss that follows.
            fileSystem.RestartProcess();
            long durable;
            await using (var recovered = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)))
            {
                Assert.True(recovered.DurableSeqno >= workload.ReportedDurable, $"killed at operation {killAt}: {workload.ReportedDurable} were durable, recovery found {recovered.DurableSeqno}");

                // The restarted process carries on writing before the power fails.
                for (var seqno = recovered.LastSeqno + 1; seqno <= Math.Min(workload.Driver.LastSeqno, recovered.LastSeqno + 4); seqno++)
                {
                    await recovered.AppendAsync(workload.Driver.Entries[(int)seqno]);
                }

                await recovered.FlushAsync();
                durable = recovered.DurableSeqno;
            }

            for (var reboot = 0; reboot < RestartsPerCrash; reboot++)
            {
                await using var rebooted = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem.Restart(new Random((int)killAt + reboot))));
                Assert.True(rebooted.LastSeqno >= durable, $"killed at operation {killAt}, recovered {durable} as durable, then a power loss kept {rebooted.LastSeqno}");
                Assert.True(workload.Driver.RootAt(rebooted.LastSeqno + 1) == rebooted.RootAt(rebooted.LastSeqno + 1), $"killed at operation {killAt}: the root after the power loss differs");
            }
        }
    }

    private static async Task<long> OperationsToRecoverAsync(SimulatedFileSystem disk)
    {
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, disk)))
        {
        }

        return disk.MutatingOperations;
    }

    private static async Task CheckRecoveryAsync(SimulatedFileSystem image, Workload workload, string scenario)
    {
        var driver = workload.Driver;
        long recovered;
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, image)))
        {
            recovered = ledger.LastSeqno;
            Assert.True(recovered >= workload.ReportedDurable, $"{scenario}: seqno {workload.ReportedDurable} was reported durable but only {recovered} survived");
            Assert.True(recovered <= driver.LastSeqno, $"{scenario}: recovered {recovered} entries but only {driver.LastSeqno} were appended");
            for (var seqno = 1; seqno <= recovered; seqno++)
            {
                Assert.True(driver.Entries[seqno].AsSpan().SequenceEqual(ledger.ReadEntry(seqno)), $"{scenario}: entry {seqno} differs");
            }

            Assert.True(driver.RootAt(recovered + 1) == ledger.RootAt(recovered + 1), $"{scenario}: the Merkle root differs from the reference");
            var indexed = ledger.ReadByKey(IndexKey.Collection("c1"), 1, long.MaxValue, int.MaxValue);
            var expected = Enumerable.Range(1, (int)recovered).Where(s => s % 5 != 0 && s % 3 == 1).ToList();
            Assert.True(expected.SequenceEqual(indexed.Select(e => (int)Core.Entries.EntryCodec.ReadHeader(e).Id.Seqno)), $"{scenario}: the collection index differs");

            // The recovered ledger carries on: re-append what was lost (the same bytes are valid again).
            for (var seqno = recovered + 1; seqno <= Math.Min(driver.LastSeqno, recovered + 6); seqno++)
            {
                await ledger.AppendAsync(driver.Entries[(int)seqno]);
            }

            await ledger.FlushAsync();
            recovered = ledger.LastSeqno;
        }

        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, image));
        Assert.True(recovered == reopened.LastSeqno, $"{scenario}: entries appended after recovery were lost");
        Assert.True(driver.RootAt(recovered + 1) == reopened.RootAt(recovered + 1), $"{scenario}: the root after continuing differs");
    }

    /// <summary>Appends with frequent flushes (so chunks close and checkpoints are written), closes, reopens and appends more.</summary>
    private sealed class Workload(bool background = false)
    {
        private readonly List<(long Seqno, Task Durable)> _waiters = [];
        private Ledger? _ledger;
        private long _closedDurable;

        public LedgerDriver Driver { get; } = new();

        /// <summary>
        /// The highest seqno the ledger ever claimed durable: through <see cref="Ledger.DurableSeqno"/>
        /// (read when power is lost, so a premature claim is caught) or a completed durability wait.
        /// </summary>
        public long ReportedDurable =>
            Math.Max(Math.Max(_closedDurable, _ledger?.DurableSeqno ?? 0), _waiters.Where(w => w.Durable.IsCompletedSuccessfully).Select(w => w.Seqno).DefaultIfEmpty().Max());

        public async Task<bool> RunUntilPowerLossAsync(SimulatedFileSystem fileSystem)
        {
            try
            {
                await RunAsync(fileSystem);
                return false;
            }
            catch (Exception error) when (error is PowerLossException || error.InnerException is PowerLossException)
            {
                return true;
            }
        }

        public async Task RunAsync(SimulatedFileSystem fileSystem)
        {
            foreach (var count in new[] { 110, 20 })
            {
                _ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem, background));
                await AppendAsync(_ledger, count);

                // A ledger that faulted in the background closes without writing, so what it
                // claims durable after closing, not what was appended, is what must survive.
                await _ledger.DisposeAsync();
                _closedDurable = _ledger.DurableSeqno;
            }
        }

        private async Task AppendAsync(Ledger ledger, int count)
        {
            for (var i = 1; i <= count; i++)
            {
                var seqno = await Driver.AppendNextAsync(ledger);
                _waiters.Add((seqno, ledger.WaitDurableAsync(seqno)));
                if (i % 3 == 0)
                {
                    await ledger.FlushAsync();
                }
            }
        }
    }
}
