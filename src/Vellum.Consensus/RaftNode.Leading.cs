using Vellum.Consensus.Messages;
using Vellum.Core;

namespace Vellum.Consensus;

/// <summary>The leader's side: proposals, replication with bounded pipelines, heartbeats, check-quorum and commit.</summary>
public sealed partial class RaftNode
{
    private readonly Dictionary<NodeId, FollowerProgress> _progress = [];
    private readonly List<long> _committable = [];
    private int _heartbeatElapsedTicks;
    private NodeId[] _departing = [];

    /// <summary>
    /// Appends <paramref name="entry"/> to the log if this node leads in the entry's term. Call
    /// <see cref="Replicate"/> after a batch of proposals to send them.
    /// </summary>
    /// <param name="entry">The entry; its term must be <see cref="Term"/>.</param>
    /// <param name="index">The entry's index when accepted, otherwise 0.</param>
    /// <exception cref="ArgumentException">The entry is malformed, or the log refused it.</exception>
    public ProposeResult Propose(ReplicatedEntry entry, out long index)
    {
        ArgumentNullException.ThrowIfNull(entry);
        index = 0;
        if (Role != RaftRole.Leader || entry.Term != _term)
        {
            return ProposeResult.NotLeader;
        }

        entry.Validate();
        if (entry.Kind != LogEntryKind.Signature && _log.LastIndex - _commitIndex >= _options.MaxUncommittedEntries)
        {
            return ProposeResult.AtCapacity;
        }

        if (entry.Kind == LogEntryKind.Configuration && !MayChangeConfiguration(entry.Configuration!))
        {
            return ProposeResult.ConfigurationChangeNotAllowed;
        }

        _log.Append(entry);
        index = _log.LastIndex;
        Appended(index, entry);
        if (entry.Kind == LogEntryKind.Signature)
        {
            NeedsSignature = false;
        }

        return ProposeResult.Accepted;
    }

    /// <summary>Sends what followers lack, within each one's in-flight bound.</summary>
    public void Replicate()
    {
        if (Role == RaftRole.Leader)
        {
            BroadcastAppend(heartbeat: false);
        }
    }

    /// <summary>
    /// The last index known to match this leader's log and be durable on <paramref name="node"/>,
    /// or null when this node does not lead or does not replicate to it. The host uses it to
    /// promote a learner once it has caught up.
    /// </summary>
    public long? DurableIndexOf(NodeId node)
    {
        if (Role != RaftRole.Leader)
        {
            return null;
        }

        if (node == Id)
        {
            return Math.Min(_log.DurableIndex, _log.LastIndex);
        }

        return _progress.TryGetValue(node, out var progress) ? progress.DurableIndex : null;
    }

    /// <summary>
    /// As leader, the nodes that have left the configuration and are still sent the log so that
    /// they learn their removal committed; empty otherwise. The same instance is returned until
    /// the set changes, so the host can tell a change by reference.
    /// </summary>
    public IReadOnlyList<NodeId> DepartingNodes => _departing;

    /// <summary>
    /// Whether a change to <paramref name="next"/> is safe now: one voter at a time, after the
    /// previous change committed, and only once this leader has committed in its own term (so
    /// that no change from an older term can still be pending behind it).
    /// </summary>
    private bool MayChangeConfiguration(ClusterConfiguration next) =>
        _configurationIndex <= _commitIndex
        && _log.TermAt(_commitIndex) == _term
        && _configuration.VoterChangesTo(next) <= 1
        && next.Voters.Count > 0;

    /// <summary>
    /// Follows the configuration: a progress for each new member, and a node that left stays
    /// tracked as departing. A removed node is not told it was removed unless it receives the
    /// entry that removes it and a commit index past it; without that it would keep believing it
    /// is a member. It counts for nothing meanwhile (commit and check-quorum count voters only).
    /// </summary>
    private void TrackMembers()
    {
        foreach (var member in _configuration.Members)
        {
            if (member == Id)
            {
                continue;
            }

            if (_progress.TryGetValue(member, out var progress))
            {
                progress.Departing = false;
            }
            else
            {
                _progress[member] = new FollowerProgress(member, _log.LastIndex + 1);
            }
        }

        foreach (var progress in _progress.Values.Where(progress => !progress.Departing && !_configuration.Contains(progress.Node)))
        {
            progress.Departing = true;
            progress.HeldRemoval = false;
        }

        RefreshDeparting();
    }

    /// <summary>
    /// Stops sending to a departing node one check-quorum period after it held the committed
    /// removal, so that several heartbeats carried the commit index to it, or at once if it did
    /// not answer during the period (it is stopped or cut off, and would be sent to for ever).
    /// </summary>
    private void ReleaseDeparting()
    {
        var removalCommitted = _configurationIndex <= _commitIndex;
        foreach (var progress in _progress.Values.Where(progress => progress.Departing).ToList())
        {
            if (progress.HeldRemoval || !progress.RecentlyActive)
            {
                _progress.Remove(progress.Node);
            }
            else if (removalCommitted && progress.ReceivedIndex >= _commitIndex)
            {
                progress.HeldRemoval = true;
            }
        }

        RefreshDeparting();
    }

    /// <summary>Starts sending the log to <paramref name="node"/>, which is not a member, as a departing node.</summary>
    private void InformDeparted(NodeId node)
    {
        if (!_progress.ContainsKey(node))
        {
            _progress[node] = new FollowerProgress(node, _log.LastIndex + 1) { Departing = true };
            RefreshDeparting();
        }
    }

    private void RefreshDeparting()
    {
        NodeId[] departing = [.. _progress.Values.Where(progress => progress.Departing).Select(progress => progress.Node).Order()];
        if (!departing.SequenceEqual(_departing))
        {
            _departing = departing;
        }
    }

    private void TickAsLeader()
    {
        if (++_heartbeatElapsedTicks >= _options.HeartbeatIntervalTicks)
        {
            _heartbeatElapsedTicks = 0;
            foreach (var progress in _progress.Values)
            {
                if (progress.Inflight.Count > 0 && ++progress.TicksWithoutProgress >= _options.RetransmitTicks)
                {
                    // Messages or their answers were lost: go back to what is known to match.
                    progress.ResetToProbe(progress.ReceivedIndex + 1);
                }
            }

            BroadcastAppend(heartbeat: true);
        }

        if (_electionElapsedTicks >= _options.ElectionTimeoutTicks)
        {
            _electionElapsedTicks = 0;
            CheckQuorum();
        }
    }

    private void CheckQuorum()
    {
        var active = _configuration.Voters.Count(voter =>
            voter == Id || (_progress.TryGetValue(voter, out var progress) && progress.RecentlyActive));
        ReleaseDeparting();
        foreach (var progress in _progress.Values)
        {
            progress.RecentlyActive = false;
        }

        if (active < _configuration.Quorum)
        {
            // A leader that cannot reach a majority may have been replaced; stop accepting writes.
            BecomeFollower(_term, null);
        }
    }

    private void BroadcastAppend(bool heartbeat)
    {
        foreach (var progress in _progress.Values)
        {
            SendAppend(progress, heartbeat);
        }
    }

    private void SendAppend(FollowerProgress progress, bool heartbeat)
    {
        if (progress.Probing)
        {
            if (progress.Inflight.Count == 0)
            {
                // A probe goes at the next index even when empty: its answer says where the logs meet.
                SendEntries(progress);
            }
            else if (heartbeat)
            {
                SendHeartbeat(progress);
            }

            return;
        }

        var sent = false;
        while (progress.NextIndex <= _log.LastIndex && progress.Inflight.Count < _options.MaxInflightMessages)
        {
            SendEntries(progress);
            sent = true;
        }

        if (heartbeat && !sent)
        {
            SendHeartbeat(progress);
        }
    }

    private void SendEntries(FollowerProgress progress)
    {
        var previous = progress.NextIndex - 1;
        var entries = progress.NextIndex <= _log.LastIndex
            ? _log.Read(progress.NextIndex, _options.MaxEntriesPerMessage, _options.MaxBytesPerMessage)
            : [];
        var request = new AppendEntriesRequest(Id, progress.Node, _term, previous, _log.TermAt(previous), _commitIndex, entries);
        progress.Inflight.Enqueue(request.LastIndex);
        if (!progress.Probing)
        {
            progress.NextIndex = request.LastIndex + 1;
        }

        Send(request);
    }

    private void SendHeartbeat(FollowerProgress progress)
    {
        // Anchored at what is known to match, so that it cannot fail while entries are in flight.
        var previous = progress.ReceivedIndex;
        Send(new AppendEntriesRequest(Id, progress.Node, _term, previous, _log.TermAt(previous), _commitIndex, []));
    }

    private void HandleAppendEntriesResponse(AppendEntriesResponse response)
    {
        if (response.Term > _term)
        {
            BecomeFollower(response.Term, null);
            return;
        }

        if (Role != RaftRole.Leader || response.Term < _term || !_progress.TryGetValue(response.From, out var progress))
        {
            return;
        }

        progress.RecentlyActive = true;
        if (response.Success)
        {
            Invariant.Check(response.MatchIndex <= _log.LastIndex, "a follower matches no more than the leader has");
            progress.ReceivedIndex = Math.Max(progress.ReceivedIndex, response.MatchIndex);
            progress.DurableIndex = Math.Max(progress.DurableIndex, Math.Min(response.DurableIndex, progress.ReceivedIndex));
            progress.NextIndex = Math.Max(progress.NextIndex, progress.ReceivedIndex + 1);
            progress.Acknowledge(response.MatchIndex);
            if (progress.Probing)
            {
                progress.ResetToProbe(progress.ReceivedIndex + 1);
                progress.Probing = false;
            }

            AdvanceLeaderCommit();
        }
        else if (!IsStaleRejection(progress, response))
        {
            // The follower's durable prefix still matches, so the logs meet at least there.
            var meet = Math.Max(
                progress.DurableIndex,
                LastIndexWithTermAtMost(Math.Min(response.HintIndex, response.MatchIndex), response.HintTerm));
            progress.ResetToProbe(meet + 1);
            progress.ReceivedIndex = Math.Min(progress.ReceivedIndex, meet);
        }

        if (Role == RaftRole.Leader)
        {
            SendAppend(progress, heartbeat: false);
        }
    }

    /// <summary>
    /// Whether a rejection answers a message sent before the leader learned better. While probing
    /// only the answer to the probe counts. Otherwise a rejection at or below what the follower
    /// holds durably must be old; but one above that may be new even if below what the follower
    /// acknowledged receiving, because a crash loses what was received and not yet flushed, and
    /// ignoring it would leave that follower behind for as long as the leader sends nothing new.
    /// </summary>
    private static bool IsStaleRejection(FollowerProgress progress, AppendEntriesResponse response) =>
        progress.Probing
            ? response.MatchIndex != progress.NextIndex - 1
            : response.MatchIndex <= progress.DurableIndex;

    private void AdvanceLeaderCommit()
    {
        if (Role != RaftRole.Leader || _committable.Count == 0)
        {
            return;
        }

        var durable = _configuration.Voters
            .Select(voter => voter == Id ? Math.Min(_log.DurableIndex, _log.LastIndex) : _progress.GetValueOrDefault(voter)?.DurableIndex ?? 0)
            .OrderDescending()
            .ElementAt(_configuration.Quorum - 1);
        var committable = _committable.FindLastIndex(index => index <= durable);
        if (committable < 0)
        {
            return;
        }

        var commit = _committable[committable];
        Invariant.Check(commit > _commitIndex && _log.TermAt(commit) == _term, "a leader commits only signatures of its own term, forward");
        _commitIndex = commit;
        _committable.RemoveRange(0, committable + 1);
        if (_configurationIndex <= _commitIndex && !_configuration.IsVoter(Id))
        {
            // This leader's removal has committed: tell the others the commit index, then step down.
            BroadcastAppend(heartbeat: true);
            BecomeFollower(_term, null);
        }
    }
}
