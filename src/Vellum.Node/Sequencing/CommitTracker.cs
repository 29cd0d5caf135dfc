using System.Runtime.CompilerServices;
using Vellum.Core;

namespace Vellum.Node.Sequencing;

/// <summary>
/// The committed prefix of the ledger: every entry up to the last signature that is fsynced.
/// Writers waiting for commit are completed from the commit path, in seqno order; nobody polls.
/// </summary>
internal sealed class CommitTracker
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<ICommitWaiter, long> _waiters = new();
    // Boxed, so that readers take it without the lock: a TransactionId is two words, and a new box
    // is made once per signature committed.
    private volatile StrongBox<TransactionId> _committed;
    private Exception? _fault;
    private long _highestAwaited;

    public CommitTracker(TransactionId committed) => _committed = new(committed);

    /// <summary>The last committed transaction: a signature, or the zero id before the first.</summary>
    public TransactionId Committed => _committed.Value;

    /// <summary>Raised, outside the lock, when someone starts waiting for an uncommitted seqno.</summary>
    public event Action<long>? Awaiting;

    /// <summary>The highest seqno anyone has waited for commit on (committed since, or not).</summary>
    public long HighestAwaited => Volatile.Read(ref _highestAwaited);

    /// <summary>Records that the signature <paramref name="signature"/> is durable; completes the waiters it commits.</summary>
    public void Advance(TransactionId signature)
    {
        List<ICommitWaiter> ready = [];
        lock (_gate)
        {
            if (signature.Seqno <= _committed.Value.Seqno)
            {
                return;
            }

            _committed = new(signature);
            while (_waiters.TryPeek(out var waiter, out var seqno) && seqno <= signature.Seqno)
            {
                _waiters.Dequeue();
                ready.Add(waiter);
            }
        }

        foreach (var waiter in ready)
        {
            waiter.Committed();
        }
    }

    /// <summary>Fails every waiter, now and later: the ledger can no longer commit.</summary>
    public void Fail(Exception fault)
    {
        List<ICommitWaiter> failed = [];
        lock (_gate)
        {
            _fault ??= fault;
            while (_waiters.TryDequeue(out var waiter, out _))
            {
                failed.Add(waiter);
            }
        }

        foreach (var waiter in failed)
        {
            waiter.Fail(fault);
        }
    }

    /// <summary>Completes once entry <paramref name="seqno"/> is committed.</summary>
    public Task WaitCommittedAsync(long seqno, CancellationToken cancellationToken)
    {
        var waiter = new CommitWaiter();
        if (!Enqueue(waiter, seqno))
        {
            return Task.CompletedTask;
        }

        Awaiting?.Invoke(seqno);
        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Tells <paramref name="waiter"/> once entry <paramref name="seqno"/> is committed, or at once
    /// if it is; the sequencer's way of waiting on a writer's behalf, without raising
    /// <see cref="Awaiting"/> (it looks at <see cref="HighestAwaited"/> before deciding to defer signing).
    /// </summary>
    public void Register(ICommitWaiter waiter, long seqno)
    {
        if (!Enqueue(waiter, seqno))
        {
            waiter.Committed();
        }
    }

    /// <summary>Queues <paramref name="waiter"/>, or fails it; false when <paramref name="seqno"/> is already committed.</summary>
    private bool Enqueue(ICommitWaiter waiter, long seqno)
    {
        Exception? fault;
        lock (_gate)
        {
            if (seqno <= _committed.Value.Seqno)
            {
                return false;
            }

            fault = _fault;
            if (fault is null)
            {
                _waiters.Enqueue(waiter, seqno);
                if (seqno > _highestAwaited)
                {
                    Volatile.Write(ref _highestAwaited, seqno);
                }
            }
        }

        if (fault is not null)
        {
            waiter.Fail(fault);
        }

        return true;
    }
}
