using Vellum.Storage.Files;
using Vellum.Storage.Indexing;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

public class TruncationTests
{
    private const string Directory = "/ledger";

    [Fact]
    public async Task TruncatingWithinTheOpenChunkRemovesTheSuffixAndAppendsContinueInAHigherView()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = LedgerDriver.Options(Directory, fileSystem, maxChunkBytes: 1 << 20);
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            await AppendAsync(ledger, driver, 9, flushEvery: 1);
            await AppendAsync(ledger, driver, 3, flushEvery: 0);
            Assert.Equal(9, ledger.DurableSeqno);

            await ledger.TruncateAfterAsync(7);
            driver.TruncateTo(7);

            Assert.Equal(7, ledger.LastSeqno);
            Assert.Equal(7, ledger.DurableSeqno);
            Assert.Equal(5, ledger.LastSignature!.Header.Id.Seqno);
            Assert.Throws<ArgumentOutOfRangeException>(() => ledger.ReadEntry(8));
            LedgerAssert.Matches(driver, ledger, "after truncating");

            driver.View = 3;
            await AppendAsync(ledger, driver, 9, flushEvery: 2);
            await ledger.FlushAsync();
            LedgerAssert.Matches(driver, ledger, "after appending in view 3");
        }

        await using var reopened = await Ledger.OpenAsync(options);
        LedgerAssert.Matches(driver, reopened, "after reopening");
        Assert.Equal(16, reopened.DurableSeqno);
        await reopened.VerifyAsync();
    }

    [Fact]
    public async Task TruncatingIntoAClosedChunkSeveralChunksBackReopensItAsTheOpenChunk()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = LedgerDriver.Options(Directory, fileSystem);
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            await AppendAsync(ledger, driver, 150, flushEvery: 1);
            var chunks = LedgerAssert.ClosedChunks(fileSystem, Directory);
            Assert.True(chunks.Count >= 5, $"expected several closed chunks, found {chunks.Count}");
            var target = chunks[1];
            var seqno = (target.First + target.Last) / 2;

            await ledger.TruncateAfterAsync(seqno);
            driver.TruncateTo(seqno);

            Assert.Equal([chunks[0]], LedgerAssert.ClosedChunks(fileSystem, Directory));
            Assert.Equal([$"ledger_{target.First}.open"], LedgerAssert.OpenChunks(fileSystem, Directory));
            Assert.Equal(seqno, ledger.DurableSeqno);
            LedgerAssert.Matches(driver, ledger, "after truncating");

            // Enough entries in a new view, with signatures over the truncated tree, to close chunks again.
            driver.View = 4;
            await AppendAsync(ledger, driver, 100, flushEvery: 1);
            Assert.True(LedgerAssert.ClosedChunks(fileSystem, Directory).Count >= 4);
            LedgerAssert.Matches(driver, ledger, "after appending in view 4");
        }

        await using var reopened = await Ledger.OpenAsync(options);
        LedgerAssert.Matches(driver, reopened, "after reopening");
        await reopened.VerifyAsync();
    }

    [Fact]
    public async Task TruncatingIntoChunksWhoseCloseIsStillInMemoryMakesTheRightOneTheOpenChunk()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = LedgerDriver.Options(Directory, fileSystem);
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            // The first chunk's file holds entries 1-10; the chunks filled after it wait in
            // memory for the flush that would close them.
            await AppendAsync(ledger, driver, 10, flushEvery: 10);
            await AppendAsync(ledger, driver, 60, flushEvery: 0);
            Assert.Empty(LedgerAssert.ClosedChunks(fileSystem, Directory));

            await ledger.TruncateAfterAsync(35);
            driver.TruncateTo(35);
            LedgerAssert.Matches(driver, ledger, "after truncating a chunk with no file");

            await ledger.TruncateAfterAsync(6);
            driver.TruncateTo(6);
            LedgerAssert.Matches(driver, ledger, "after truncating the chunk with a file");
            Assert.Equal(["ledger_1.open"], LedgerAssert.OpenChunks(fileSystem, Directory));

            driver.View = 3;
            await AppendAsync(ledger, driver, 60, flushEvery: 1);
            LedgerAssert.Matches(driver, ledger, "after appending in view 3");
        }

        await using var reopened = await Ledger.OpenAsync(options);
        LedgerAssert.Matches(driver, reopened, "after reopening");
        await reopened.VerifyAsync();
    }

    [Fact]
    public async Task TruncatingToZeroEmptiesTheLedgerAndANewHistoryStartsAtSeqnoOne()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = LedgerDriver.Options(Directory, fileSystem);
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            await AppendAsync(ledger, driver, 60, flushEvery: 1);
            Assert.NotEmpty(LedgerAssert.ClosedChunks(fileSystem, Directory));

            await ledger.TruncateAfterAsync(0);
            driver.TruncateTo(0);

            Assert.Equal(0, ledger.LastSeqno);
            Assert.Equal(0, ledger.LastView);
            Assert.Equal(0, ledger.DurableSeqno);
            Assert.Null(ledger.LastSignature);
            Assert.Equal(1, ledger.TreeSize);
            Assert.Empty(ledger.Keys(IndexKeyKind.Collection));
            Assert.DoesNotContain(fileSystem.ListFiles(Directory), name => name.StartsWith("ledger_", StringComparison.Ordinal));

            driver.View = 3;
            await AppendAsync(ledger, driver, 30, flushEvery: 1);
        }

        await using var reopened = await Ledger.OpenAsync(options);
        LedgerAssert.Matches(driver, reopened, "after reopening");
        await reopened.VerifyAsync();
    }

    [Fact]
    public async Task TruncatingAtTheEndOfAClosedChunkKeepsItClosedAndRemovesEveryLaterFile()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = LedgerDriver.Options(Directory, fileSystem);
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            await AppendAsync(ledger, driver, 100, flushEvery: 1);
            var chunks = LedgerAssert.ClosedChunks(fileSystem, Directory);
            var seqno = chunks[1].Last;

            await ledger.TruncateAfterAsync(seqno);
            driver.TruncateTo(seqno);

            Assert.Equal(chunks[..2], LedgerAssert.ClosedChunks(fileSystem, Directory));
            Assert.Empty(LedgerAssert.OpenChunks(fileSystem, Directory));
            Assert.Equal(seqno, ledger.LastSignature!.Header.Id.Seqno);
            LedgerAssert.Matches(driver, ledger, "after truncating");
            driver.View = 3;
            await AppendAsync(ledger, driver, 12, flushEvery: 1);
        }

        await using var reopened = await Ledger.OpenAsync(options);
        LedgerAssert.Matches(driver, reopened, "after reopening");
    }

    [Fact]
    public async Task TruncatingAfterTheLastEntryChangesNothingAndSeqnosOutsideTheLedgerAreRejected()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        await AppendAsync(ledger, driver, 40, flushEvery: 1);
        var operations = fileSystem.MutatingOperations;

        await ledger.TruncateAfterAsync(40);

        Assert.Equal(operations, fileSystem.MutatingOperations);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.TruncateAfterAsync(41));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.TruncateAfterAsync(-1));
        LedgerAssert.Matches(driver, ledger);
    }

    [Fact]
    public async Task IndexesForgetKeysThatOnlyTheRemovedEntriesHeld()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        await AppendAsync(ledger, driver, 70, flushEvery: 1);
        var seqno = LedgerAssert.ClosedChunks(fileSystem, Directory)[1].Last - 3;
        var removedOnly = EntryFactory.Write(71, collection: "gone", tags: ["soon"]);
        await ledger.AppendAsync(removedOnly);
        Assert.Contains("gone", ledger.Keys(IndexKeyKind.Collection).Select(key => key.CollectionId));

        await ledger.TruncateAfterAsync(seqno);
        driver.TruncateTo(seqno);

        Assert.DoesNotContain("gone", ledger.Keys(IndexKeyKind.Collection).Select(key => key.CollectionId));
        Assert.DoesNotContain(ledger.Keys(IndexKeyKind.Tag), key => key.CollectionId == "gone");
        Assert.Null(ledger.FindLastByKey(IndexKey.Collection("gone"), long.MaxValue));
        Assert.Null(ledger.FindSignatureAtOrAfter(seqno + 1));
        Assert.Equal(seqno / 5 * 5, ledger.FindLastByKey(IndexKey.Signatures, long.MaxValue));
        var lastKept = ledger.FindLastByKey(IndexKey.Collection("c1"), long.MaxValue);
        Assert.True(lastKept <= seqno);

        // The consistency proof from any old prefix to the new tree verifies after re-appending.
        driver.View = 3;
        await AppendAsync(ledger, driver, 20, flushEvery: 3);
        Assert.True(ledger.ProveConsistency(seqno, driver.LastSeqno + 1).Verify(driver.RootAt(seqno), driver.RootAt(driver.LastSeqno + 1)));
        LedgerAssert.Matches(driver, ledger);
    }

    [Fact]
    public async Task ViewAtGivesTheViewOfEveryEntryAcrossViewsChunksReopeningAndTruncation()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = LedgerDriver.Options(Directory, fileSystem);
        long[] views = [2, 3, 3, 5, 8, 9];
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            // Views change inside chunks and at their edges: 23 entries per view.
            foreach (var view in views)
            {
                driver.View = view;
                await AppendAsync(ledger, driver, 23, flushEvery: 1);
            }

            LedgerAssert.Matches(driver, ledger, "as written");
        }

        await using var reopened = await Ledger.OpenAsync(options);
        LedgerAssert.Matches(driver, reopened, "after reopening");
        Assert.Throws<ArgumentOutOfRangeException>(() => reopened.ViewAt(driver.LastSeqno + 1));

        // Into view 5 (seqnos 70 to 92): view 5 is the last view, and nothing before it may follow.
        await reopened.TruncateAfterAsync(80);
        driver.TruncateTo(80);
        Assert.Equal(5, reopened.LastView);
        Assert.Throws<ArgumentOutOfRangeException>(() => reopened.ViewAt(81));
        var back = await Assert.ThrowsAsync<ArgumentException>(async () => await reopened.AppendAsync(EntryFactory.Write(81, view: 4)));
        Assert.Contains("Views never go back", back.Message, StringComparison.Ordinal);

        // Back before view 5 began, view 4 is acceptable again.
        await reopened.TruncateAfterAsync(60);
        driver.TruncateTo(60);
        Assert.Equal(3, reopened.LastView);
        driver.View = 4;
        await AppendAsync(reopened, driver, 10, flushEvery: 1);
        LedgerAssert.Matches(driver, reopened, "after truncating and appending in view 4");
    }

    [Fact]
    public async Task LastSignatureAtOrBeforeIsTheLastSignatureTheIndexListsAtOrBeforeTheSeqno()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        await AppendAsync(ledger, driver, 93, flushEvery: 1);
        Assert.True(LedgerAssert.ClosedChunks(fileSystem, Directory).Count >= 3);

        for (var seqno = 0L; seqno <= driver.LastSeqno + 3; seqno++)
        {
            var expected = Math.Min(seqno, driver.LastSeqno) / 5 * 5;
            Assert.Equal(expected, ledger.LastSignatureAtOrBefore(seqno));
            Assert.Equal(expected == 0 ? (long?)null : expected, ledger.FindLastByKey(IndexKey.Signatures, seqno));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.LastSignatureAtOrBefore(-1));
    }

    [Fact]
    public async Task AWaitForARemovedEntryFailsAndAWaitForAKeptOneCompletesOnceItIsDurable()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        await AppendAsync(ledger, driver, 10, flushEvery: 0);
        var removed = ledger.WaitDurableAsync(9);
        var kept = ledger.WaitDurableAsync(6);

        await ledger.TruncateAfterAsync(7);
        driver.TruncateTo(7);

        var error = await Assert.ThrowsAsync<LedgerTruncatedException>(() => removed);
        Assert.Equal(9, error.Seqno);
        Assert.Equal(7, error.LastSeqnoKept);
        Assert.False(kept.IsCompleted);
        driver.View = 3;
        await AppendAsync(ledger, driver, 3, flushEvery: 0);
        var replacement = ledger.WaitDurableAsync(9);
        await ledger.FlushAsync();
        await kept;
        await replacement;
        Assert.Equal(10, ledger.DurableSeqno);
    }

    [Fact]
    public async Task AChunkRefusingUnsignedEntriesAcceptsThemAgainOnceTruncated()
    {
        var options = new LedgerOptions { Directory = Directory, FileSystem = new SimulatedFileSystem(), FlushInBackground = false, MaxChunkBytes = 4096, MaxUnsignedChunkBytes = 16 * 1024 };
        await using var ledger = await Ledger.OpenAsync(options);
        var accepted = await AppendWritesUntilRefusedAsync(ledger);
        Assert.True(accepted > 20, $"only {accepted} writes were accepted");

        await ledger.TruncateAfterAsync(accepted / 2);

        // The same entries fill the chunk to the same bound again.
        Assert.Equal(accepted - (accepted / 2), await AppendWritesUntilRefusedAsync(ledger));
    }

    [Fact]
    public async Task ACheckpointCoveringRemovedEntriesIsRewrittenSoReopeningNeedsNoRebuild()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = LedgerDriver.Options(Directory, fileSystem);
        long seqno;
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            await AppendAsync(ledger, driver, 150, flushEvery: 1);
            var chunks = LedgerAssert.ClosedChunks(fileSystem, Directory);
            Assert.Equal(chunks[^1].Last + 1, CheckpointTreeSize(fileSystem));
            seqno = chunks[1].First + 2;

            await ledger.TruncateAfterAsync(seqno);
            driver.TruncateTo(seqno);
            Assert.Equal(seqno + 1, CheckpointTreeSize(fileSystem));
        }

        var logger = new ListLogger();
        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem, logger: logger));
        Assert.DoesNotContain(logger.Messages, message => message.Message.Contains("Rebuilding", StringComparison.Ordinal));
        LedgerAssert.Matches(driver, reopened);
        await reopened.VerifyAsync();
    }

    private static long CheckpointTreeSize(SimulatedFileSystem fileSystem) =>
        BitConverter.ToInt64(fileSystem.ReadAllBytes($"{Directory}/checkpoint"), 16);

    private static async Task<long> AppendWritesUntilRefusedAsync(Ledger ledger)
    {
        var count = 0L;
        while (true)
        {
            try
            {
                await ledger.AppendAsync(EntryFactory.Write(ledger.LastSeqno + 1, view: 3));
                count++;
            }
            catch (InvalidOperationException)
            {
                return count;
            }
        }
    }

    /// <summary>Appends the driver's next entries, flushing after every <paramref name="flushEvery"/>-th (never when 0).</summary>
    internal static async Task AppendAsync(Ledger ledger, LedgerDriver driver, int count, int flushEvery)
    {
        for (var i = 1; i <= count; i++)
        {
            await driver.AppendNextAsync(ledger);
            if (flushEvery > 0 && i % flushEvery == 0)
            {
                await ledger.FlushAsync();
            }
        }
    }
}
