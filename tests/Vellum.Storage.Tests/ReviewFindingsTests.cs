using System.Text;
using Vellum.Storage.Chunks;
using Vellum.Storage.Files;
using Vellum.Storage.Indexing;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

/// <summary>
/// Failing tests that demonstrate the findings of the storage review. Each one describes the
/// behaviour the ledger should have; none of them passes against the code as reviewed.
/// </summary>
public class ReviewFindingsTests
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
        var crashing = new CrashingFileSystem(disk) { CrashBeforeSyncingAClosedChunk = true };
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
        var crashing = new CrashingFileSystem(disk);
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

    /// <summary>
    /// With <see cref="LedgerOptions.FlushInBackground"/> false nothing flushes unless the caller
    /// calls <see cref="Ledger.FlushAsync"/>, but an append over <see cref="LedgerOptions.MaxPendingBytes"/>
    /// waits for a flush that nobody will start: a single-threaded caller (the deterministic
    /// simulation the option exists for) hangs for ever.
    /// </summary>
    [Fact]
    public async Task AnAppendOverThePendingBoundWithoutABackgroundFlusherEitherFlushesOrFailsButNeverHangs()
    {
        var options = new LedgerOptions
        {
            Directory = Directory,
            FileSystem = new SimulatedFileSystem(),
            FlushInBackground = false,
            MaxPendingBytes = 1 << 20,
        };
        await using var ledger = await Ledger.OpenAsync(options);
        var contents = new string('x', 100_000);
        for (var seqno = 1; seqno <= 12; seqno++)
        {
            var append = ledger.AppendAsync(EntryFactory.Write(seqno, contents: contents)).AsTask();
            var finished = await Task.WhenAny(append, Task.Delay(TimeSpan.FromSeconds(3)));
            Assert.True(finished == append, $"append {seqno} (about {seqno * 100} kB pending, bound 1 MiB) never completed: it waits for a flush that only the caller could start");
            await append;
        }
    }

    /// <summary>
    /// <c>fromSeqno − FirstSeqno</c> overflows in <see cref="ChunkPostings"/> when a caller asks for
    /// everything from <see cref="long.MinValue"/>: the open chunk's matches are silently dropped,
    /// while closed chunks still answer.
    /// </summary>
    [Fact]
    public async Task AQueryFromTheSmallestSeqnoFindsTheEntriesOfTheOpenChunk()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem()));
        for (var seqno = 1; seqno <= 3; seqno++)
        {
            await ledger.AppendAsync(EntryFactory.Write(seqno, collection: "orders"));
        }

        Assert.Equal(3, ledger.ReadByKey(IndexKey.Collection("orders"), 1, long.MaxValue, 10).Count);
        var fromMinimum = ledger.ReadByKey(IndexKey.Collection("orders"), long.MinValue, long.MaxValue, 10);
        Assert.True(fromMinimum.Count == 3, $"a query from long.MinValue found {fromMinimum.Count} of the 3 entries");
    }

    /// <summary>
    /// Entries hold strictly valid UTF-8, but <see cref="IndexKey"/> encodes with the lenient
    /// encoder, which turns a lone surrogate into U+FFFD: a query for a collection that cannot
    /// exist is answered with the entries of another collection instead of being rejected.
    /// </summary>
    [Fact]
    public async Task AnIndexKeyThatIsNotValidUnicodeIsRejectedInsteadOfMatchingAnotherCollection()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem()));
        await ledger.AppendAsync(EntryFactory.Write(1, collection: "\uFFFD"));

        IReadOnlyList<byte[]> found;
        try
        {
            found = ledger.ReadByKey(IndexKey.Collection("\uD800"), 1, long.MaxValue, 10);
        }
        catch (ArgumentException)
        {
            return;
        }

        Assert.True(found.Count == 0, $"a query for the lone surrogate U+D800 returned {found.Count} entry of collection U+FFFD");
    }

    /// <summary>
    /// A flipped byte in a durable entry of the open chunk is taken for a torn tail: recovery
    /// truncates it and every durable entry after it, a signature included, and only logs a
    /// warning. Here each entry was written and fsynced by its own batch, and a batch is written
    /// only after the previous one's fsync returned, so a crash can tear at most the last batch;
    /// the sound records of seven later batches prove the damaged one was durable.
    /// </summary>
    [Fact]
    public async Task DamageToADurableEntryOfTheOpenChunkFollowedBySoundEntriesIsCorruptionNotATornTail()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)))
        {
            for (var i = 0; i < 9; i++)
            {
                await driver.AppendNextAsync(ledger);
                await ledger.FlushAsync();
            }

            Assert.Equal(9, ledger.DurableSeqno);
        }

        var openPath = $"{Directory}/" + fileSystem.ListFiles(Directory).Single(n => n.EndsWith(".open", StringComparison.Ordinal));
        var bytes = fileSystem.ReadAllBytes(openPath);
        var secondRecord = ChunkFile.HeaderSize + RecordFrame.FramedSize(driver.Entries[1].Length);
        bytes[secondRecord + RecordFrame.HeaderSize + 60] ^= 0x01;
        fileSystem.Overwrite(openPath, bytes);

        try
        {
            await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
            Assert.Fail($"the ledger opened with {reopened.LastSeqno} of its 9 durable entries (the signature at seqno 5 among those dropped) instead of reporting the damage");
        }
        catch (LedgerCorruptException error)
        {
            Assert.Equal(openPath, error.Path);
        }
    }

    /// <summary>
    /// The checkpoint and <c>merkle.nodes</c> are documented as hints that may be lost. Without
    /// them recovery rebuilds the tree, appending every node of the whole ledger to the node
    /// store's in-memory write-behind buffer before anything is written: 64 bytes per entry held
    /// at once. That buffer is an int-indexed array whose growth stops doubling at 1 GiB (so
    /// copies turn quadratic) and overflows at 2 GiB, so a ledger of some 34 million entries can
    /// no longer be opened without its checkpoint, and smaller ones need memory in proportion to
    /// their length. The rebuild should write nodes out as it goes, keeping at most
    /// <see cref="LedgerOptions.MaxPendingBytes"/> in memory.
    /// </summary>
    [Fact]
    public async Task RebuildingTheTreeWithoutACheckpointKeepsAtMostMaxPendingBytesOfNodesInMemory()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = new LedgerOptions { Directory = Directory, FileSystem = fileSystem, FlushInBackground = false, MaxChunkBytes = 1 << 20, MaxPendingBytes = 1 << 20 };
        const int entries = 40_000;
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            for (var i = 0; i < entries; i++)
            {
                await driver.AppendNextAsync(ledger);
                if (i % 1000 == 0)
                {
                    await ledger.FlushAsync();
                }
            }
        }

        fileSystem.Delete($"{Directory}/checkpoint");
        var nodeBytes = Core.Merkle.MerkleShape.NodeCount(entries + 1) * Core.Sha256Hash.Size;
        await using var reopened = await Ledger.OpenAsync(options);
        var written = fileSystem.ReadAllBytes($"{Directory}/merkle.nodes").Length;
        Assert.True(
            nodeBytes - written <= options.MaxPendingBytes,
            $"after rebuilding the tree, {nodeBytes - written} of its {nodeBytes} node bytes are held in memory, over the {options.MaxPendingBytes}-byte bound");
    }

    /// <summary>
    /// <see cref="Ledger.AppendAsync"/> appends under the lock, releases it, then calls
    /// <c>RequestFlush</c>. A <see cref="Ledger.DisposeAsync"/> that runs in between flushes the
    /// entry and disposes the flush semaphore, so <c>RequestFlush</c> throws
    /// <see cref="ObjectDisposedException"/> for <see cref="SemaphoreSlim"/>: the caller is told
    /// the append failed although the entry is in the ledger, durable. (A race: the test repeats
    /// the interleaving until it occurs, which on a two-core machine takes a few dozen tries.)
    /// </summary>
    [Fact]
    public async Task AnAppendRacingDisposeEitherSucceedsOrLeavesNoTrace()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var fileSystem = new SimulatedFileSystem();
            var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem, background: true));
            var appenders = Enumerable.Range(0, 3).Select(_ => Task.Run(() => AppendUntilDisposedAsync(ledger))).ToList();
            await Task.Delay(1);
            await ledger.DisposeAsync();
            foreach (var failed in await Task.WhenAll(appenders))
            {
                if (failed is null)
                {
                    continue;
                }

                await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
                var seqno = Core.Entries.EntryCodec.ReadHeader(failed.Value.Entry).Id.Seqno;
                var stored = seqno <= reopened.LastSeqno && reopened.ReadEntry(seqno).AsSpan().SequenceEqual(failed.Value.Entry);
                Assert.False(stored, $"AppendAsync of seqno {seqno} threw \"{failed.Value.Error.Message}\", yet the entry is in the ledger (attempt {attempt})");
            }
        }
    }

    private static async Task<(byte[] Entry, ObjectDisposedException Error)?> AppendUntilDisposedAsync(Ledger ledger)
    {
        while (true)
        {
            // Yield so that the appenders do not starve the thread pool the test's own continuations need.
            await Task.Yield();
            var entry = EntryFactory.Write(ledger.LastSeqno + 1);
            try
            {
                await ledger.AppendAsync(entry);
            }
            catch (ArgumentException)
            {
                // Another appender took this seqno first.
            }
            catch (ObjectDisposedException error)
            {
                return error.ObjectName == typeof(Ledger).FullName ? null : (entry, error);
            }
        }
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

    /// <summary>
    /// Passes every operation to a <see cref="SimulatedFileSystem"/>, except that it can stop the
    /// "process" just before a chosen operation, as a kill or a failed fsync would: the operation
    /// fails and nothing reaches the disk, but the disk keeps power and its page cache.
    /// </summary>
    private sealed class CrashingFileSystem(SimulatedFileSystem disk) : IStorageFileSystem
    {
        /// <summary>Fail the fsync of a chunk file that ends with a chunk trailer (a close in progress).</summary>
        public bool CrashBeforeSyncingAClosedChunk { get; set; }

        /// <summary>Fail every directory fsync.</summary>
        public bool CrashBeforeSyncingTheDirectory { get; set; }

        public IStorageFile OpenOrCreate(string path) => new CrashingFile(this, disk.OpenOrCreate(path));

        public IStorageFile OpenExisting(string path) => new CrashingFile(this, disk.OpenExisting(path));

        public bool FileExists(string path) => disk.FileExists(path);

        public IReadOnlyList<string> ListFiles(string directory) => disk.ListFiles(directory);

        public void CreateDirectory(string path) => disk.CreateDirectory(path);

        public void Rename(string source, string destination) => disk.Rename(source, destination);

        public void Delete(string path) => disk.Delete(path);

        public void SyncDirectory(string path)
        {
            if (CrashBeforeSyncingTheDirectory)
            {
                throw new IOException("The process was killed before the directory fsync.");
            }

            disk.SyncDirectory(path);
        }

        public IDisposable LockDirectory(string directory) => disk.LockDirectory(directory);

        private sealed class CrashingFile(CrashingFileSystem owner, IStorageFile file) : IStorageFile
        {
            public long Length => file.Length;

            public int Read(Span<byte> destination, long offset) => file.Read(destination, offset);

            public void Write(ReadOnlySpan<byte> source, long offset) => file.Write(source, offset);

            public void SetLength(long length) => file.SetLength(length);

            public void Sync()
            {
                if (owner.CrashBeforeSyncingAClosedChunk && EndsWithChunkTrailer())
                {
                    throw new IOException("The process was killed before the closing chunk's fsync.");
                }

                file.Sync();
            }

            public void Dispose() => file.Dispose();

            private bool EndsWithChunkTrailer()
            {
                if (file.Length < ChunkFile.HeaderSize + ChunkTrailer.RecordSize)
                {
                    return false;
                }

                var record = new byte[ChunkTrailer.RecordSize];
                _ = file.Read(record, file.Length - record.Length);
                return RecordFrame.TryReadHeader(record, out var type, out var length)
                    && type == RecordType.ChunkTrailer
                    && length == ChunkTrailer.PayloadSize
                    && RecordFrame.HasValidChecksum(record);
            }
        }
    }
}
