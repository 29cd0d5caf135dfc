using Vellum.Storage.Files;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

/// <summary>
/// A writer that appends a run ending in a signature defers the flushes its appends would start,
/// so that an idle flusher does not take the run's first entry alone and leave the signature
/// committing the run to a second fsync.
/// </summary>
public class FlushDeferralTests
{
    private const string Directory = "/ledger";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AppendsUnderADeferralAreNotFlushedUntilItEndsAndThenAreFlushedWithoutAnotherAppend()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem(), background: true));

        var requests = ledger.FlushRequests;
        ledger.BeginFlushDeferral();
        for (var seqno = 1; seqno <= 10; seqno++)
        {
            await ledger.AppendAsync(EntryFactory.Write(seqno));
        }

        // The flusher was not asked, so nothing is durable however long one waits.
        Assert.Equal(requests, ledger.FlushRequests);
        Assert.Equal(0, ledger.DurableSeqno);

        ledger.EndFlushDeferral();
        await ledger.WaitDurableAsync(10).WaitAsync(Bound);
    }

    [Fact]
    public async Task NestedDeferralsHoldTheFlushUntilTheOuterEnds()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem(), background: true));

        var requests = ledger.FlushRequests;
        ledger.BeginFlushDeferral();
        ledger.BeginFlushDeferral();
        await ledger.AppendAsync(EntryFactory.Write(1));
        ledger.EndFlushDeferral();

        Assert.Equal(requests, ledger.FlushRequests);
        Assert.Equal(0, ledger.DurableSeqno);

        ledger.EndFlushDeferral();
        await ledger.WaitDurableAsync(1).WaitAsync(Bound);
    }

    [Fact]
    public async Task ADeferralNeverHoldsBackAFlushNeededForRoomOrAskedForByFlushAsync()
    {
        var options = new LedgerOptions { Directory = Directory, FileSystem = new SimulatedFileSystem(), MaxPendingBytes = 1 << 20 };
        await using var ledger = await Ledger.OpenAsync(options);
        var contents = new string('x', 100_000);

        ledger.BeginFlushDeferral();
        for (var seqno = 1; seqno <= 30; seqno++)
        {
            // About 3 MiB in all against a 1 MiB write buffer: the appends wait for room, which only a flush makes.
            await ledger.AppendAsync(EntryFactory.Write(seqno, contents: contents)).AsTask().WaitAsync(Bound);
        }

        Assert.True(ledger.DurableSeqno > 0, "the write buffer filled under a deferral, yet nothing was flushed to make room");

        await ledger.FlushAsync().WaitAsync(Bound);
        Assert.Equal(30, ledger.DurableSeqno);
        ledger.EndFlushDeferral();
    }
}
