using System.Runtime.CompilerServices;
using Vellum.Core.Entries;
using Vellum.Storage.Files;
using Vellum.Storage.Indexing;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

public class TruncationConcurrencyTests
{
    private const string Directory = "/ledger";

    /// <summary>
    /// A read finds the closed chunk holding its entry, then (without the lock) reads the chunk's
    /// offsets table; a truncation runs in between. Either the truncation reopened the chunk and
    /// cut its footer off, and the read must be retried against the open chunk rather than
    /// reported as corruption, or it removed the chunk, and the read must say the entry is gone.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AReadOfAClosedChunkThatATruncationChangesMeanwhileIsRetried(bool removeTheChunk)
    {
        var disk = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, disk)))
        {
            await TruncationTests.AppendAsync(ledger, driver, 70, flushEvery: 1);
        }

        var chunks = LedgerAssert.ClosedChunks(disk, Directory);
        var chunk = chunks[1];
        var read = chunk.First + 2;
        var keep = removeTheChunk ? chunks[0].Last : chunk.First + 4;
        var hooked = new HookedFileSystem(disk);
        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, hooked));
        var truncations = 0;
        hooked.BeforeRead = path =>
        {
            if (path.EndsWith($"ledger_{chunk.First}-{chunk.Last}.chunk", StringComparison.Ordinal))
            {
                hooked.BeforeRead = null;
                truncations++;
                reopened.TruncateAfterAsync(keep).GetAwaiter().GetResult();
            }
        };

        if (removeTheChunk)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => reopened.ReadEntry(read));
            Assert.Empty(LedgerAssert.OpenChunks(disk, Directory));
        }
        else
        {
            Assert.Equal(driver.Entries[(int)read], reopened.ReadEntry(read));
            Assert.Equal([$"ledger_{chunk.First}.open"], LedgerAssert.OpenChunks(disk, Directory));
        }

        Assert.Equal(1, truncations);
        Assert.Equal(keep, reopened.LastSeqno);
        driver.TruncateTo(keep);
        LedgerAssert.Matches(driver, reopened);
    }

    /// <summary>
    /// Appends race the background flusher, truncations reach back into the open chunk and
    /// across closed ones, and readers read the entries no truncation removes all along: no
    /// read fails or returns other bytes, and the ledger ends exactly as the reference does.
    /// Each round waits for a read to finish after its truncation, so reads overlap the rounds
    /// however the machine schedules the readers.
    /// </summary>
    [Fact]
    public async Task TruncationsBesideTheBackgroundFlusherAppendsAndReadsKeepTheLedgerConsistent()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = LedgerDriver.Options(Directory, fileSystem, background: true);
        const int Kept = 40;
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            await TruncationTests.AppendAsync(ledger, driver, Kept, flushEvery: 0);
            await ledger.FlushAsync();
            var kept = driver.Entries.Take(Kept + 1).ToList();
            using var stop = new CancellationTokenSource();
            var reads = new StrongBox<int>();
            var readers = Enumerable.Range(0, 2).Select(reader => Task.Run(() => ReadUntilStopped(ledger, kept, reader, reads, stop.Token))).ToList();
            for (var round = 0; round < 30; round++)
            {
                await TruncationTests.AppendAsync(ledger, driver, 30, flushEvery: 0);
                var seqno = Math.Max(Kept, driver.LastSeqno - (round % 3 == 0 ? 45 : 7));
                await ledger.TruncateAfterAsync(seqno);
                driver.TruncateTo(seqno);
                driver.View++;
                var before = Volatile.Read(ref reads.Value);
                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref reads.Value) > before || readers.Any(r => r.IsCompleted), TimeSpan.FromMinutes(1)), $"no read finished after round {round}'s truncation");
            }

            await TruncationTests.AppendAsync(ledger, driver, 10, flushEvery: 0);
            await ledger.FlushAsync();
            await stop.CancelAsync();
            await Task.WhenAll(readers);
            LedgerAssert.Matches(driver, ledger);
            Assert.Equal(driver.LastSeqno, ledger.DurableSeqno);
        }

        await using var reopened = await Ledger.OpenAsync(options);
        LedgerAssert.Matches(driver, reopened, "after reopening");
        await reopened.VerifyAsync();
    }

    private static void ReadUntilStopped(Ledger ledger, List<byte[]> kept, int seed, StrongBox<int> reads, CancellationToken stop)
    {
        var random = new Random(seed);
        var collection = kept.Skip(1).Where(e => EntryCodec.ReadHeader(e).Kind == EntryKind.Write && EntryCodec.DecodeWrite(e).CollectionId == "c1");
        var expected = LedgerAssert.Seqnos(collection);
        while (!stop.IsCancellationRequested)
        {
            var seqno = random.Next(1, kept.Count);
            Assert.Equal(kept[seqno], ledger.ReadEntry(seqno));
            Assert.Equal(expected, LedgerAssert.Seqnos(ledger.ReadByKey(IndexKey.Collection("c1"), 1, kept.Count - 1, int.MaxValue)));
            Assert.Equal(kept.Count - 1, ledger.LastSignatureAtOrBefore(kept.Count - 1));
            Assert.Equal(EntryFactory.View, ledger.ViewAt(seqno));
            Interlocked.Increment(ref reads.Value);
        }
    }
}
