using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Core;
using Vellum.Storage;

namespace Vellum.Node.Replication;

/// <summary>Steps of consensus: an action on the <see cref="RaftNode"/> under the lock, then what it produced, outside.</summary>
internal sealed partial class Replica
{
    /// <summary>Runs <paramref name="action"/> on consensus, then sends its messages, publishes commit and reports leadership changes, outside the lock.</summary>
    private void Step(Action<RaftNode> action)
    {
        StepOutcome outcome;
        lock (_gate)
        {
            outcome = StepHeld(action);
        }

        Publish(outcome);
    }

    private StepOutcome StepHeld(Action<RaftNode> action)
    {
        // The entries a step appends (a follower's batch from the primary) go to disk in one flush.
        _ledger.BeginFlushDeferral();
        try
        {
            action(_raft);
        }
        finally
        {
            _ledger.EndFlushDeferral();
        }

        PublishPeers();
        var retired = NoticeRetirement();
        _raft.TakeMessages(_taken);
        RaftMessage[] messages = _taken.Count == 0 ? [] : [.. _taken];
        _taken.Clear();
        var commit = _raft.CommitIndex;
        var committed = commit == 0 ? default : new TransactionId(_ledger.ViewAt(commit), commit);
        var leadership = (_raft.Role, _raft.Term, _raft.Role == RaftRole.Leader && _raft.NeedsSignature);
        var leadershipChanged = leadership != _lastLeadership;
        if (leadership.Role != _lastLeadership.Role || leadership.Term != _lastLeadership.Term)
        {
            LogLeadership(_logger, _raft.Id.Value, leadership.Role, leadership.Term);
        }

        _lastLeadership = leadership;
        return new StepOutcome(messages, committed, leadershipChanged, retired);
    }

    private void Publish(StepOutcome outcome)
    {
        foreach (var message in outcome.Messages)
        {
            _peers?.Send(message);
        }

        if (outcome.Committed.Seqno > 0)
        {
            _commits.Advance(outcome.Committed);
        }

        if (outcome.Retired)
        {
            LogRetired(_logger, _raft.Id.Value);
        }

        if (outcome.LeadershipChanged)
        {
            LeadershipChanged?.Invoke();
        }
    }

    /// <summary>
    /// Tells consensus that the durable tail moved. The ledger calls it on its flusher's thread
    /// after each flush, so that the commit a flushed signature makes, and the writers waiting
    /// for it, follow the fsync without a thread hop. That thread never waits for the lock: its
    /// holder may itself be waiting for the next flush (an append that needs room in the write
    /// buffer), so a busy lock hands the report to the thread pool instead. For the same reason
    /// nothing done here may append to the log or truncate it; reporting durability does neither.
    /// </summary>
    private void ReportDurability() => ReportDurability(wait: false);

    /// <summary>The ledger stopped after a failed write or fsync: the node can no longer commit, and says so.</summary>
    private void LedgerFaulted(LedgerFaultedException fault) => _fail(fault);

    /// <summary>Reports durability; without <paramref name="wait"/>, a busy lock sends the report to a pool thread, which may wait for it.</summary>
    private void ReportDurability(bool wait)
    {
        try
        {
            if (!TryReportDurability(wait))
            {
                ThreadPool.UnsafeQueueUserWorkItem(static replica => replica.ReportDurability(wait: true), this, preferLocal: false);
            }
        }
#pragma warning disable CA1031 // A failure in consensus must fault the node visibly, not the thread that reported to it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _fail(exception);
        }
    }

    /// <summary>
    /// Reports durability to consensus under the lock, or, with <paramref name="wait"/> false,
    /// returns false at once if the lock is busy. Once the replica is stopping it does nothing:
    /// checked under the lock, so no report reaches the ledger after <see cref="DisposeAsync"/>'s
    /// own last report, and the ledger may be closed after it.
    /// </summary>
    private bool TryReportDurability(bool wait)
    {
        if (wait)
        {
            _gate.Enter();
        }
        else if (!_gate.TryEnter())
        {
            return false;
        }

        StepOutcome? outcome = null;
        try
        {
            if (!_stopping.IsCancellationRequested)
            {
                outcome = StepHeld(static raft => raft.LogDurabilityAdvanced());
            }
        }
        finally
        {
            _gate.Exit();
        }

        if (outcome is { } reported)
        {
            Publish(reported);
        }

        return true;
    }

    private readonly record struct StepOutcome(RaftMessage[] Messages, TransactionId Committed, bool LeadershipChanged, bool Retired);
}
