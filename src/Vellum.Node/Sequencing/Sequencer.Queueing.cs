using System.Threading.Channels;
using Vellum.Core;

namespace Vellum.Node.Sequencing;

/// <summary>How writers hand the sequencer their writes: one at a time, or in batches that go in together.</summary>
internal sealed partial class Sequencer
{
    /// <summary>
    /// Queues a validated write; completes with its transaction id once it is appended, or, with
    /// <paramref name="waitForCommit"/>, once the ledger's commit reaches it (it may have been
    /// rolled back instead: the caller checks). Cancelling <paramref name="cancellationToken"/>
    /// abandons the wait for the queue, and with <paramref name="waitForCommit"/> the whole wait:
    /// a write already queued may still be appended.
    /// </summary>
    /// <exception cref="NodeUnavailableException">The node is stopping or its ledger failed.</exception>
    public ValueTask<TransactionId> AppendAsync(string collectionId, IReadOnlyList<string> tags, ReadOnlyMemory<byte> contentsUtf8, bool waitForCommit, CancellationToken cancellationToken)
    {
        var write = new PendingWrite(collectionId, tags, contentsUtf8, waitForCommit);

        // Queued at once unless the queue is full or closed, or the caller gave up: the common
        // case awaits the write's own task, with no state machine of its own per request.
        return !cancellationToken.IsCancellationRequested && _queue.Writer.TryWrite(write)
            ? new ValueTask<TransactionId>(OutcomeOf(write, waitForCommit, cancellationToken))
            : QueueThenAwaitAsync(write, waitForCommit, cancellationToken);
    }

    /// <summary>Queues a validated write; completes with its transaction id once it is appended.</summary>
    /// <exception cref="NodeUnavailableException">The node is stopping or its ledger failed.</exception>
    public ValueTask<TransactionId> AppendAsync(string collectionId, IReadOnlyList<string> tags, ReadOnlyMemory<byte> contentsUtf8, CancellationToken cancellationToken)
        => AppendAsync(collectionId, tags, contentsUtf8, waitForCommit: false, cancellationToken);

    /// <summary>
    /// Queues a write without tags whose contents <paramref name="contentsAt"/> makes for the
    /// seqno it gets, on the sequencer's thread, so that nothing is appended between deciding them
    /// and appending them; completes with its transaction id once it is appended.
    /// </summary>
    /// <exception cref="NodeUnavailableException">The node is stopping or its ledger failed.</exception>
    /// <exception cref="WriteAbandonedException"><paramref name="contentsAt"/> found the write no longer applies.</exception>
    public async ValueTask<TransactionId> AppendAsync(string collectionId, Func<long, ReadOnlyMemory<byte>> contentsAt)
        => (await AppendIndivisibleAsync([new ComputedWrite(collectionId, contentsAt)]))[0];

    /// <summary>
    /// Queues validated writes to be appended in order, one after the other, with no signature
    /// between them unless they alone overflow the unsigned run; completes with their
    /// transaction ids once the last is appended, or, with <paramref name="waitForCommit"/>, once
    /// the ledger's commit reaches it. If one fails (the node lost leadership), the rest are not
    /// appended and the batch fails with that error; the writes before it were appended and
    /// commit or roll back as any write does.
    /// </summary>
    /// <exception cref="NodeUnavailableException">The node is stopping or its ledger failed.</exception>
    public async ValueTask<IReadOnlyList<TransactionId>> AppendBatchAsync(IReadOnlyList<IEntryWrite> writes, bool waitForCommit, CancellationToken cancellationToken)
    {
        var batch = new PendingBatch(writes, waitForCommit, indivisible: false);
        await QueueAsync(batch, cancellationToken);
        return await (waitForCommit ? batch.Task.WaitAsync(cancellationToken) : batch.Task);
    }

    /// <summary>
    /// Queues writes to be appended in order, one after the other, in one term and with no
    /// signature between them, or not at all: too large to fit between two signatures, they are
    /// refused before anything is appended. Completes with their transaction ids once the last is
    /// appended; if leadership is lost partway, the ones appended roll back with the term.
    /// </summary>
    /// <exception cref="NodeUnavailableException">The node is stopping or its ledger failed.</exception>
    /// <exception cref="WriteAbandonedException">The writes do not fit between two signatures, or the first one's contents found it no longer applies.</exception>
    public async ValueTask<IReadOnlyList<TransactionId>> AppendIndivisibleAsync(IReadOnlyList<IEntryWrite> writes)
    {
        var batch = new PendingBatch(writes, waitsForCommit: false, indivisible: true);
        await QueueAsync(batch, CancellationToken.None);
        return await batch.Task;
    }

    private async ValueTask<TransactionId> QueueThenAwaitAsync(PendingWrite write, bool waitForCommit, CancellationToken cancellationToken)
    {
        await QueueAsync(write, cancellationToken);
        return await OutcomeOf(write, waitForCommit, cancellationToken);
    }

    private static Task<TransactionId> OutcomeOf(PendingWrite write, bool waitForCommit, CancellationToken cancellationToken)
        => waitForCommit ? write.Task.WaitAsync(cancellationToken) : write.Task;

    private async ValueTask QueueAsync(ISequencerItem item, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new NodeUnavailableException(Fault is null ? "The node is shutting down." : "The node's ledger failed; it accepts no writes.");
        }
    }
}
