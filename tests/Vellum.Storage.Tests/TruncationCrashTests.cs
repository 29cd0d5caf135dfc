using Vellum.Storage.Chunks;
using Vellum.Storage.Files;
using Vellum.Storage.Tests.Support;
using Xunit.Abstractions;

namespace Vellum.Storage.Tests;

/// <summary>
/// Loses power, or kills the process, at every mutating file operation of a workload that
/// truncates into a closed chunk several chunks back, into the open chunk, and at a chunk's end
/// after reopening, appending in a higher view after each. Recovery must find a prefix of the
/// ledger as it was before a truncation in progress, at least as long as what the truncation
/// keeps of the durable entries; once a truncation returned, a prefix of the truncated ledger
/// and what followed it, so that no removed entry ever comes back.
/// </summary>
public class TruncationCrashTests(ITestOutputHelper output)
{
    private const string Directory = "/ledger";
    private const int RestartsPerCrash = 3;

    [Fact]
    public async Task APowerLossOrAKillAtEveryStepOfTruncatingAndAppendingAfterwardsReopensToAValidPrefix()
    {
        var (operations, entries) = await RunCleanAsync();
        output.WriteLine($"Crashing at each of {operations} operations: rebooting {RestartsPerCrash} ways, then restarting the process.");
        for (var crashAt = 0L; crashAt < operations; crashAt++)
        {
            var fileSystem = new SimulatedFileSystem();
            fileSystem.LosePowerAfter(crashAt);
            var workload = new Workload(entries);
            Assert.True(await workload.RunUntilPowerLossAsync(fileSystem), $"a crash at operation {crashAt} should stop the workload");
            var scenario = $"crashed at operation {crashAt} ({workload.Step})";
            for (var reboot = 0; reboot < RestartsPerCrash; reboot++)
            {
                var image = fileSystem.Restart(new Random((int)(crashAt * RestartsPerCrash) + reboot));
                await CheckRecoveryAsync(image, workload, $"{scenario}, power lost, reboot {reboot}");
            }

            // Had only the process died, the page cache would hold the files as it left them;
            // whatever recovery then makes durable must survive a power loss.
            fileSystem.RestartProcess();
            var durable = await CheckRecoveryAsync(fileSystem, workload, $"{scenario}, process killed");
            var rebooted = fileSystem.Restart(new Random((int)crashAt));
            await CheckRecoveryAsync(rebooted, workload, $"{scenario}, process killed, recovered, then power lost", durable);
        }
    }

    /// <summary>
    /// Once a truncation returned, entries appended at the removed seqnos may be lost, kept or
    /// torn by a power loss during their flush, but what the reboot finds at those seqnos is
    /// never a removed entry: each crash point of that flush is tried, with several reboots.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RemovedEntriesNeverComeBackWhenPowerFailsWhileTheirSeqnosAreWrittenAgain(bool intoAClosedChunk)
    {
        var flushOperations = long.MaxValue;
        for (var crashAt = 0L; crashAt <= flushOperations; crashAt++)
        {
            var fileSystem = new SimulatedFileSystem();
            var driver = new LedgerDriver();
            await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
            await TruncationTests.AppendAsync(ledger, driver, 70, flushEvery: 1);
            var chunks = LedgerAssert.ClosedChunks(fileSystem, Directory);
            var seqno = intoAClosedChunk ? chunks[1].First + 4 : driver.LastSeqno - 6;
            await ledger.TruncateAfterAsync(seqno);
            driver.TruncateTo(seqno);
            driver.View = 3;
            await TruncationTests.AppendAsync(ledger, driver, 12, flushEvery: 0);

            var before = fileSystem.MutatingOperations;
            fileSystem.LosePowerAfter(crashAt);
            try
            {
                await ledger.FlushAsync();
                flushOperations = fileSystem.MutatingOperations - before;
            }
            catch (LedgerFaultedException error) when (error.InnerException is PowerLossException)
            {
            }

            for (var reboot = 0; reboot < 8; reboot++)
            {
                await using var rebooted = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem.Restart(new Random(reboot))));
                var scenario = $"power lost at operation {crashAt} of the flush, reboot {reboot}";
                Assert.True(rebooted.LastSeqno >= seqno, $"{scenario}: only {rebooted.LastSeqno} of the {seqno} kept entries survived");
                var reference = new LedgerDriver();
                driver.Entries.Skip(1).Take((int)rebooted.LastSeqno).ToList().ForEach(reference.Record);
                LedgerAssert.Matches(reference, rebooted, scenario);
            }
        }

        Assert.True(flushOperations is > 2 and < long.MaxValue, $"the flush took {flushOperations} operations");
    }

    /// <summary>
    /// A closed chunk written by an earlier process can carry higher flush batch numbers than the
    /// process that reopens it for a truncation. The records appended to it must still count as
    /// written by later batches, or recovery takes damage to the kept, durable records before
    /// them for a torn tail and silently drops those records.
    /// </summary>
    [Fact]
    public async Task DamageToAKeptEntryOfAReopenedChunkFollowedByLaterEntriesIsCorruptionNotATornTail()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = LedgerDriver.Options(Directory, fileSystem);
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            // Stop just after a chunk closed, so that the next process starts with no open chunk
            // and so with low batch numbers.
            do
            {
                await TruncationTests.AppendAsync(ledger, driver, 1, flushEvery: 1);
            }
            while (LedgerAssert.ClosedChunks(fileSystem, Directory).Count < 2 || LedgerAssert.OpenChunks(fileSystem, Directory).Count > 0);
        }

        var chunk = LedgerAssert.ClosedChunks(fileSystem, Directory)[^1];
        var seqno = chunk.Last - 3;
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            await ledger.TruncateAfterAsync(seqno);
            driver.TruncateTo(seqno);
            driver.View = 3;
            await TruncationTests.AppendAsync(ledger, driver, 2, flushEvery: 2);
        }

        var path = $"{Directory}/ledger_{chunk.First}.open";
        var bytes = fileSystem.ReadAllBytes(path);
        var record = ChunkFile.HeaderSize;
        for (var i = chunk.First; i < seqno; i++)
        {
            record += RecordFrame.FramedSize(BitConverter.ToInt32(bytes, record + 4));
        }

        bytes[record + RecordFrame.HeaderSize + 40] ^= 0x01;
        fileSystem.Overwrite(path, bytes);
        var error = await Assert.ThrowsAsync<LedgerCorruptException>(() => Ledger.OpenAsync(options));
        Assert.Equal(path, error.Path);
        Assert.Equal(record, error.Offset);
    }

    /// <summary>Runs the workload without a crash: how many operations it makes, and the entries it appends.</summary>
    private static async Task<(long Operations, Dictionary<(long Seqno, long View), byte[]> Entries)> RunCleanAsync()
    {
        var clean = new SimulatedFileSystem();
        var workload = new Workload();
        await workload.RunAsync(clean);
        Assert.Equal(3, workload.Truncations);
        Assert.True(clean.MutatingOperations > 200, $"the workload should exercise many operations, not {clean.MutatingOperations}");
        return (clean.MutatingOperations, workload.Made);
    }

    /// <summary>
    /// Opens the rebooted disk and checks it holds a valid prefix, then appends the entries that
    /// come next and checks they survive reopening; returns how many entries are then durable.
    /// A recovery's appends replay the same timeline, so a later crash is checked against it
    /// too, with <paramref name="durableFloor"/> entries required.
    /// </summary>
    private static async Task<long> CheckRecoveryAsync(SimulatedFileSystem image, Workload workload, string scenario, long? durableFloor = null)
    {
        var (timeline, floor) = workload.Expected;
        floor = durableFloor ?? floor;
        long recovered;
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, image)))
        {
            recovered = ledger.LastSeqno;
            Assert.True(recovered >= floor, $"{scenario}: {floor} entries had to survive, only {recovered} did");
            Assert.True(recovered < timeline.Count, $"{scenario}: recovered {recovered} entries, but the timeline has only {timeline.Count - 1}");
            var reference = new LedgerDriver();
            for (var seqno = 1; seqno <= recovered; seqno++)
            {
                reference.Record(timeline[seqno]);
            }

            // Every entry, root, view, signature and index is the timeline's: no removed entry is back.
            LedgerAssert.Matches(reference, ledger, scenario);
            for (var seqno = recovered + 1; seqno <= Math.Min(timeline.Count - 1, recovered + 6); seqno++)
            {
                await ledger.AppendAsync(timeline[(int)seqno]);
            }

            await ledger.FlushAsync();
            recovered = ledger.LastSeqno;
        }

        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, image));
        Assert.True(recovered == reopened.LastSeqno, $"{scenario}: entries appended after recovery were lost");
        return recovered;
    }

    /// <summary>
    /// Appends with frequent flushes, truncates three ways, and appends in a higher view after each.
    /// Tracks which timeline a crash must leave a prefix of, and how long that prefix must be.
    /// </summary>
    private sealed class Workload(Dictionary<(long Seqno, long View), byte[]>? madeEarlier = null)
    {
        // Every run appends the same entries: signing them once keeps the many runs quick.
        private readonly Dictionary<(long Seqno, long View), byte[]> _made = madeEarlier ?? [];
        private Ledger? _ledger;
        private long _floor;
        private (List<byte[]> Entries, long Floor)? _truncating;

        public LedgerDriver Driver { get; } = new();

        /// <summary>The entries this workload made, to hand to the next one.</summary>
        public Dictionary<(long Seqno, long View), byte[]> Made => _made;

        public int Truncations { get; private set; }

        public string Step { get; private set; } = "opening";

        /// <summary>
        /// The entries a recovery must find a prefix of, and the fewest it must find: during a
        /// truncation, the ledger before it and what the truncation keeps of the durable entries;
        /// otherwise the current ledger and everything reported durable since the last truncation.
        /// </summary>
        public (List<byte[]> Timeline, long Floor) Expected => _truncating ?? (Driver.Entries, ReportedDurable);

        /// <summary>
        /// What the ledger claimed durable: <see cref="Ledger.DurableSeqno"/> read when the crash
        /// stopped the workload (durability waits complete from it, and it only grows between
        /// truncations), or what a truncation or a clean close left.
        /// </summary>
        private long ReportedDurable => Math.Max(_floor, _ledger?.DurableSeqno ?? 0);

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
            _ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
            await AppendAsync(70, view: 2);
            var chunks = LedgerAssert.ClosedChunks(fileSystem, Directory);
            Assert.True(chunks.Count >= 3, $"expected several closed chunks, found {chunks.Count}");
            await TruncateAsync((chunks[1].First + chunks[1].Last) / 2, "into a closed chunk");
            await AppendAsync(40, view: 3);
            await TruncateAsync(Driver.LastSeqno - 4, "into the open chunk");
            await AppendAsync(10, view: 4);
            await CloseAsync();

            _ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
            await TruncateAsync(LedgerAssert.ClosedChunks(fileSystem, Directory)[0].Last, "at a chunk's end, after reopening");
            await AppendAsync(8, view: 5);
            await CloseAsync();
        }

        private async Task AppendAsync(int count, long view)
        {
            Step = $"appending in view {view}";
            Driver.View = view;
            for (var i = 1; i <= count; i++)
            {
                var key = (Driver.LastSeqno + 1, view);
                if (!_made.TryGetValue(key, out var entry))
                {
                    entry = Driver.Next();
                    _made.Add(key, entry);
                }

                await _ledger!.AppendAsync(entry);
                Driver.Record(entry);
                if (i % 3 == 0)
                {
                    await _ledger.FlushAsync();
                }
            }
        }

        private async Task TruncateAsync(long seqno, string how)
        {
            Step = $"truncating after {seqno} {how}";
            var floor = Math.Min(ReportedDurable, seqno);
            _truncating = ([.. Driver.Entries], floor);
            await _ledger!.TruncateAfterAsync(seqno);
            Driver.TruncateTo(seqno);
            _floor = floor;
            _truncating = null;
            Truncations++;
        }

        private async Task CloseAsync()
        {
            Step = "closing";
            await _ledger!.DisposeAsync();
            _ledger = null;
            _floor = Driver.LastSeqno;
        }
    }
}
