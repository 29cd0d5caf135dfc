using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Storage.Files;
using Vellum.Storage.Indexing;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

public class LedgerTests
{
    [Fact]
    public async Task AppendedEntriesReadBackAndSurviveReopeningOnDisk()
    {
        using var directory = new TemporaryDirectory();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(directory.Path, DiskFileSystem.Instance, background: true)))
        {
            for (var i = 0; i < 300; i++)
            {
                await driver.AppendNextAsync(ledger);
            }

            await ledger.FlushAsync();
            Assert.Equal(300, ledger.DurableSeqno);
        }

        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(directory.Path, DiskFileSystem.Instance, background: true));
        Assert.Equal(300, reopened.LastSeqno);
        Assert.Equal(300, reopened.DurableSeqno);
        Assert.Equal(EntryFactory.View, reopened.LastView);
        Assert.Equal(300, reopened.LastSignature!.Header.Id.Seqno);
        Assert.Equal(driver.RootAt(301), reopened.RootAt(301));
        for (var seqno = 1; seqno <= 300; seqno++)
        {
            Assert.Equal(driver.Entries[seqno], reopened.ReadEntry(seqno));
        }

        Assert.Contains(Directory.EnumerateFiles(directory.Path), path => path.EndsWith(".chunk", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NothingIsReportedDurableUntilAFlushHasSyncedIt()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options("/ledger", fileSystem));
        for (var i = 0; i < 3; i++)
        {
            await driver.AppendNextAsync(ledger);
        }

        var waiting = ledger.WaitDurableAsync(3);
        Assert.Equal(0, ledger.DurableSeqno);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(driver.Entries[2], ledger.ReadEntry(2));

        // A power loss now keeps none of the three.
        await using (var lost = await Ledger.OpenAsync(LedgerDriver.Options("/ledger", fileSystem.Restart(new Random(1)))))
        {
            Assert.Equal(0, lost.LastSeqno);
        }

        await ledger.FlushAsync();
        await waiting;
        Assert.Equal(3, ledger.DurableSeqno);
        await using var kept = await Ledger.OpenAsync(LedgerDriver.Options("/ledger", fileSystem.Restart(new Random(2))));
        Assert.Equal(3, kept.LastSeqno);
    }

    [Fact]
    public async Task ChunksCloseAfterASignatureOverTheBoundAndAreNeverRewritten()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options("/ledger", fileSystem)))
        {
            for (var i = 0; i < 120; i++)
            {
                await driver.AppendNextAsync(ledger);
                await ledger.FlushAsync();
            }
        }

        var closed = fileSystem.ListFiles("/ledger").Where(name => name.EndsWith(".chunk", StringComparison.Ordinal)).ToList();
        Assert.True(closed.Count >= 3, $"expected several closed chunks, found {closed.Count}");
        foreach (var name in closed)
        {
            var last = long.Parse(name.Split('-', '.')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(EntryKind.Signature, EntryCodec.ReadHeader(driver.Entries[(int)last]).Kind);
            Assert.True(fileSystem.ReadAllBytes($"/ledger/{name}").Length >= 4096);
        }

        var before = closed.ToDictionary(name => name, name => fileSystem.ReadAllBytes($"/ledger/{name}"));
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options("/ledger", fileSystem)))
        {
            for (var i = 0; i < 60; i++)
            {
                await driver.AppendNextAsync(ledger);
            }
        }

        foreach (var (name, bytes) in before)
        {
            Assert.Equal(bytes, fileSystem.ReadAllBytes($"/ledger/{name}"));
        }
    }

    [Fact]
    public async Task AppendRejectsGapsBackwardViewsAndSignaturesOverTheWrongRoot()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options("/ledger", new SimulatedFileSystem()));
        await ledger.AppendAsync(EntryFactory.Write(1, view: 3));

        var gap = await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.AppendAsync(EntryFactory.Write(3, view: 3)));
        Assert.Contains("next seqno is 2", gap.Message, StringComparison.Ordinal);
        var back = await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.AppendAsync(EntryFactory.Write(2, view: 2)));
        Assert.Contains("Views never go back", back.Message, StringComparison.Ordinal);
        var wrongRoot = await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.AppendAsync(EntryFactory.Signature(2, Sha256Hash.Of("not the root"u8), view: 3)));
        Assert.Contains("signs root", wrongRoot.Message, StringComparison.Ordinal);

        // Flip a byte inside the DER signature (after the header, the root and its length prefix).
        var forged = EntryFactory.Signature(2, ledger.RootAt(2), view: 3);
        forged[EntryHeader.Size + Sha256Hash.Size + 2 + 10] ^= 1;
        var unverified = await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.AppendAsync(forged));
        Assert.Contains("does not verify", unverified.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<EntryFormatException>(async () => await ledger.AppendAsync(new byte[10]));

        Assert.Equal(1, ledger.LastSeqno);
        Assert.Equal(2, await ledger.AppendAsync(EntryFactory.Signature(2, ledger.RootAt(2), view: 3)));
    }

    [Fact]
    public async Task UnknownSeqnosAreRejected()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options("/ledger", new SimulatedFileSystem()));
        await ledger.AppendAsync(EntryFactory.Write(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.ReadEntry(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.ReadEntry(2));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.WaitDurableAsync(2));
    }

    [Fact]
    public async Task InclusionProofsFromTheLedgerVerifyAgainstTheSignedRoot()
    {
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options("/ledger", new SimulatedFileSystem()));
        for (var i = 0; i < 64; i++)
        {
            await driver.AppendNextAsync(ledger);
        }

        for (var seqno = 1; seqno < 60; seqno++)
        {
            var signature = ledger.FindSignatureAtOrAfter(seqno + 1)!;
            var proof = ledger.ProveInclusion(seqno, signature.TreeSize);
            Assert.True(proof.Verify(ledger.LeafAt(seqno), signature.Root));
            Assert.True(signature.HasValidSignature());
        }

        Assert.True(ledger.ProveConsistency(10, 60).Verify(ledger.RootAt(10), ledger.RootAt(60)));
    }

    [Fact]
    public async Task ASecondOpenOfTheSameDirectoryIsRefused()
    {
        using var directory = new TemporaryDirectory();
        await using var first = await Ledger.OpenAsync(LedgerDriver.Options(directory.Path, DiskFileSystem.Instance));

        var error = await Assert.ThrowsAsync<IOException>(() => Ledger.OpenAsync(LedgerDriver.Options(directory.Path, DiskFileSystem.Instance)));
        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentWaitersAllBecomeDurableWithBackgroundGroupCommit()
    {
        using var directory = new TemporaryDirectory();
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(directory.Path, DiskFileSystem.Instance, background: true, maxChunkBytes: 64 * 1024));
        var waits = new List<Task>();
        for (var i = 0; i < 2000; i++)
        {
            waits.Add(ledger.WaitDurableAsync(await driver.AppendNextAsync(ledger)));
        }

        await Task.WhenAll(waits);
        Assert.Equal(2000, ledger.DurableSeqno);
    }

    [Fact]
    public async Task ALongLedgerKeepsOnlyABoundedNumberOfChunkFilesOpen()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = new LedgerOptions { Directory = "/ledger", FileSystem = fileSystem, FlushInBackground = false, MaxChunkBytes = 4096, MaxOpenChunkFiles = 4 };
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            for (var i = 0; i < 800; i++)
            {
                await driver.AppendNextAsync(ledger);
                await ledger.FlushAsync();
            }
        }

        Assert.Equal(0, fileSystem.OpenHandles);
        var chunks = fileSystem.ListFiles("/ledger").Count(n => n.EndsWith(".chunk", StringComparison.Ordinal));
        Assert.True(chunks > 20, $"expected many chunks, found {chunks}");
        await using (var reopened = await Ledger.OpenAsync(options))
        {
            for (var seqno = 1; seqno <= 800; seqno++)
            {
                Assert.Equal(driver.Entries[seqno], reopened.ReadEntry(seqno));
            }

            Assert.NotEmpty(reopened.ReadByKey(IndexKey.Collection("c1"), 1, long.MaxValue, int.MaxValue));
            await reopened.VerifyAsync();
        }

        // The idle chunks, the open chunk, the Merkle node file and one handle being read or replaced.
        Assert.True(fileSystem.PeakOpenHandles <= options.MaxOpenChunkFiles + 3, $"{fileSystem.PeakOpenHandles} handles were open at once");
        Assert.Equal(0, fileSystem.OpenHandles);
    }

    [Fact]
    public async Task AChunkThatGrowsTooLargeWithoutASignatureAcceptsOnlyASignature()
    {
        var options = new LedgerOptions { Directory = "/ledger", FileSystem = new SimulatedFileSystem(), FlushInBackground = false, MaxChunkBytes = 4096, MaxUnsignedChunkBytes = 16 * 1024 };
        await using var ledger = await Ledger.OpenAsync(options);
        var seqno = 0L;
        InvalidOperationException? refused = null;
        while (refused is null && seqno < 1000)
        {
            try
            {
                await ledger.AppendAsync(EntryFactory.Write(seqno + 1));
                seqno++;
            }
            catch (InvalidOperationException error)
            {
                refused = error;
            }
        }

        Assert.NotNull(refused);
        Assert.Contains("without a signature", refused.Message, StringComparison.Ordinal);
        Assert.True(seqno * 100 >= 16 * 1024 / 4, $"writes were refused after only {seqno} entries");

        await ledger.AppendAsync(EntryFactory.Signature(seqno + 1, ledger.RootAt(seqno + 1)));
        await ledger.AppendAsync(EntryFactory.Write(seqno + 2));
        await ledger.FlushAsync();
        Assert.Equal(seqno + 2, ledger.DurableSeqno);
    }
}
