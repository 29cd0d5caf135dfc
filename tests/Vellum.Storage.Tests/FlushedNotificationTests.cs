using Vellum.Storage.Files;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

/// <summary>
/// <see cref="Ledger.Flushed"/> tells a subscriber of each background flush on the flusher's own
/// thread, once the flushed entries count as durable, and outside the ledger's locks.
/// </summary>
public class FlushedNotificationTests
{
    private const string Directory = "/ledger";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FlushedIsRaisedAfterABackgroundFlushWithTheFlushedEntriesAlreadyDurable()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem(), background: true));
        var durableWhenRaised = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        ledger.Flushed += () => durableWhenRaised.TrySetResult(ledger.DurableSeqno);

        await ledger.AppendAsync(EntryFactory.Write(1));

        Assert.Equal(1, await durableWhenRaised.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task AHandlerCanAppendAndReadTheLedgerWithoutDeadlockingTheFlusher()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem(), background: true));
        var appendedByHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        ledger.Flushed += () =>
        {
            // The first call appends under the ledger's locks from the flusher's thread, as a
            // follower's consensus step does; the flush it requests must still happen.
            if (Interlocked.Increment(ref calls) == 1)
            {
                ledger.AppendAsync(EntryFactory.Write(ledger.LastSeqno + 1)).AsTask().GetAwaiter().GetResult();
                appendedByHandler.SetResult();
            }
        };

        await ledger.AppendAsync(EntryFactory.Write(1));
        await appendedByHandler.Task.WaitAsync(Bound);

        await ledger.WaitDurableAsync(2).WaitAsync(Bound);
        Assert.True(Volatile.Read(ref calls) >= 2);
    }

    [Fact]
    public async Task ALedgerThatFlushesOnlyWhenAskedNeverRaisesFlushed()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem(), background: false));
        var raised = 0;
        ledger.Flushed += () => Interlocked.Increment(ref raised);

        await ledger.AppendAsync(EntryFactory.Write(1));
        await ledger.FlushAsync();

        Assert.Equal(1, ledger.DurableSeqno);
        Assert.Equal(0, raised);
    }
}
