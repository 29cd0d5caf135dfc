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
    public async Task AHandlerRunsWithNoLockOfTheLedgerHeldSoAnotherThreadCanAppendAndTheHandlerCanTruncate()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem(), background: true));
        var handled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        ledger.Flushed += () =>
        {
            if (Interlocked.Increment(ref calls) != 1)
            {
                return;
            }

            // Another thread's append needs the ledger's lock, and a truncation the flush mutex
            // (not re-entrant): either would hang here if the flusher still held it.
            var appendedElsewhere = Task.Run(async () => await ledger.AppendAsync(EntryFactory.Write(2))).Wait(Bound);
            var truncated = appendedElsewhere && ledger.TruncateAfterAsync(1).Wait(Bound);
            handled.SetResult(appendedElsewhere && truncated);
        };

        await ledger.AppendAsync(EntryFactory.Write(1));

        Assert.True(await handled.Task.WaitAsync(Bound), "The handler's append or truncation did not finish: the flusher held a lock while raising Flushed.");
        Assert.Equal(1, ledger.LastSeqno);
    }

    [Fact]
    public async Task AHandlerThatThrowsIsLoggedAndTheOthersStillRunAndTheLedgerGoesOn()
    {
        var logger = new ListLogger();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem(), background: true, logger: logger));
        var second = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        ledger.Flushed += () => throw new InvalidOperationException("a faulty subscriber");
        ledger.Flushed += () => second.TrySetResult(ledger.DurableSeqno);

        await ledger.AppendAsync(EntryFactory.Write(1));
        Assert.Equal(1, await second.Task.WaitAsync(Bound));

        // Handlers run in turn on the flusher's thread, so the first one's failure is logged by now.
        Assert.Contains(logger.Messages, message => message.Level == Microsoft.Extensions.Logging.LogLevel.Error && message.Message.Contains("subscriber", StringComparison.Ordinal));

        await ledger.AppendAsync(EntryFactory.Write(2));
        await ledger.WaitDurableAsync(2).WaitAsync(Bound);
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
