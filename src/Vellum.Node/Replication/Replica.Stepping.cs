using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Core;

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

    /// <summary>Like <see cref="Step"/>, but only if the lock is free at once; false, having done nothing, if it is not.</summary>
    private bool TryStep(Action<RaftNode> action)
    {
        if (!_gate.TryEnter())
        {
            return false;
        }

        StepOutcome outcome;
        try
        {
            outcome = StepHeld(action);
        }
        finally
        {
            _gate.Exit();
        }

        Publish(outcome);
        return true;
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
    /// buffer), so a busy lock hands the report to the thread pool instead.
    /// </summary>
    private void ReportDurability()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            if (!TryStep(static raft => raft.LogDurabilityAdvanced()))
            {
                ThreadPool.UnsafeQueueUserWorkItem(static replica => replica.ReportDurabilityWaiting(), this, preferLocal: false);
            }
        }
#pragma warning disable CA1031 // A failure in consensus must fault the node visibly, not the flusher that reported to it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _fail(exception);
        }
    }

    /// <summary>The report of a flush whose thread found the lock busy: made on a pool thread, which may wait for it.</summary>
    private void ReportDurabilityWaiting()
    {
        try
        {
            Step(static raft => raft.LogDurabilityAdvanced());
        }
#pragma warning disable CA1031 // A failure in consensus must fault the node visibly.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _fail(exception);
        }
    }

    private readonly record struct StepOutcome(RaftMessage[] Messages, TransactionId Committed, bool LeadershipChanged, bool Retired);
}
