using Vellum.Consensus;
using Vellum.Core;

namespace Vellum.Simulator;

/// <summary>
/// The properties every run must keep: at most one leader per term, and only a voter wins one;
/// a new leader holds everything committed; committed prefixes identical on all nodes; nothing
/// reported committed ever lost (commit indexes never go down on a live node, committed entries
/// are never truncated, and a transaction id once reported Committed is never reported otherwise
/// by that node, nor Invalid by any). The Merkle root at every signature is checked by
/// <see cref="HostLog"/> as each entry is appended.
/// </summary>
internal sealed class ClusterChecker(IReadOnlyList<SimNode> nodes)
{
    private readonly Dictionary<long, int> _leaderOfTerm = [];
    private readonly List<(Sha256Hash Leaf, ReplicatedEntry Entry)> _committed = [];
    private readonly List<ClientWrite> _writes = [];

    /// <summary>The highest index any node has reported committed.</summary>
    public long HighestCommitted => _committed.Count;

    /// <summary>How many terms had a leader.</summary>
    public int TermsWithLeader => _leaderOfTerm.Count;

    /// <summary>The client writes followed so far.</summary>
    public IReadOnlyList<ClientWrite> Writes => _writes;

    /// <summary>The committed entry at <paramref name="index"/> (from 1).</summary>
    public ReplicatedEntry CommittedEntry(long index) => _committed[(int)index - 1].Entry;

    /// <summary>Follows a client write from now on.</summary>
    public void Follow(ClientWrite write) => _writes.Add(write);

    /// <summary>The cheap checks, after every event on <paramref name="node"/>.</summary>
    public void AfterEvent(SimNode node)
    {
        if (!node.Alive)
        {
            return;
        }

        var raft = node.Raft;
        if (raft.Role == RaftRole.Leader)
        {
            if (!_leaderOfTerm.TryGetValue(raft.Term, out var leader))
            {
                if (!raft.Configuration.IsVoter(node.Id))
                {
                    throw new CheckFailedException(
                        "leader-is-voter",
                        $"{node.Id} won term {raft.Term} but is not a voter of its configuration [{raft.Configuration}]");
                }

                CheckLeaderCompleteness(node);
                _leaderOfTerm[raft.Term] = node.Index;
            }
            else if (leader != node.Index)
            {
                throw new CheckFailedException(
                    "one-leader-per-term",
                    $"{node.Id} and {nodes[leader].Id} both lead term {raft.Term}");
            }
        }

        CheckCommitAdvance(node);
    }

    /// <summary>Compares every node's whole committed prefix with the committed record.</summary>
    public void CheckAllPrefixes()
    {
        foreach (var node in nodes)
        {
            if (node.Alive)
            {
                ComparePrefix(node, 1, node.Raft.CommitIndex);
            }
        }
    }

    /// <summary>
    /// Asks every live node for the status of client writes, as clients would: all of them, or
    /// the latest writes and a random sample of older ones (cheaper, for checks during a run).
    /// </summary>
    public void CheckStatuses(bool all, Random? random = null)
    {
        const int Latest = 48, Sampled = 16;
        if (all || _writes.Count <= Latest + Sampled)
        {
            _writes.ForEach(CheckStatus);
            return;
        }

        ArgumentNullException.ThrowIfNull(random);
        for (var i = _writes.Count - Latest; i < _writes.Count; i++)
        {
            CheckStatus(_writes[i]);
        }

        for (var i = 0; i < Sampled; i++)
        {
            CheckStatus(_writes[random.Next(_writes.Count - Latest)]);
        }
    }

    private void CheckStatus(ClientWrite write)
    {
        foreach (var node in nodes)
        {
            if (node.Alive)
            {
                CheckStatus(write, node, node.Raft.StatusOf(write.Term, write.Index));
            }
        }
    }

    private static void CheckStatus(ClientWrite write, SimNode node, CommitStatus status)
    {
        var committedHere = write.CommittedIn[node.Index] == node.Incarnation;
        if (committedHere && status != CommitStatus.Committed)
        {
            throw new CheckFailedException(
                "committed-never-lost",
                $"{node.Id} reported {write} Committed and now reports it {status}");
        }

        if (status == CommitStatus.Committed)
        {
            if (write.InvalidBy is not null)
            {
                throw new CheckFailedException(
                    "committed-never-lost",
                    $"{node.Id} reports {write} Committed, but {write.InvalidBy} reported it Invalid");
            }

            write.CommittedIn[node.Index] = node.Incarnation;
            write.CommittedBy ??= node.Id.Value;
        }
        else if (status == CommitStatus.Invalid)
        {
            if (write.CommittedBy is not null)
            {
                throw new CheckFailedException(
                    "committed-never-lost",
                    $"{node.Id} reports {write} Invalid, but {write.CommittedBy} reported it Committed");
            }

            write.InvalidBy ??= node.Id.Value;
        }
    }

    private void CheckCommitAdvance(SimNode node)
    {
        var commit = node.Raft.CommitIndex;
        if (commit < node.ObservedCommit)
        {
            throw new CheckFailedException(
                "committed-never-lost",
                $"{node.Id}'s commit index went from {node.ObservedCommit} down to {commit}");
        }

        if (commit == node.ObservedCommit)
        {
            return;
        }

        if (commit > node.Log.LastIndex || node.Log.EntryAt(commit).Kind != LogEntryKind.Signature)
        {
            throw new CheckFailedException(
                "commit-at-signature",
                $"{node.Id} commits at {commit}, which is not a signature in its log of {node.Log.LastIndex}");
        }

        ComparePrefix(node, node.ObservedCommit + 1, commit);
        node.ObservedCommit = commit;
        node.Log.CommittedFloor = commit;
    }

    /// <summary>A new leader must hold every entry any node has reported committed (Raft's leader completeness).</summary>
    private void CheckLeaderCompleteness(SimNode leader)
    {
        if (leader.Log.LastIndex < _committed.Count)
        {
            throw new CheckFailedException(
                "committed-never-lost",
                $"{leader.Id} leads term {leader.Raft.Term} with a log of {leader.Log.LastIndex} entries, but {_committed.Count} are committed");
        }

        ComparePrefix(leader, 1, _committed.Count);
    }

    private void ComparePrefix(SimNode node, long from, long to)
    {
        for (var index = from; index <= to; index++)
        {
            var leaf = node.Log.LeafAt(index);
            if (index > _committed.Count)
            {
                _committed.Add((leaf, node.Log.EntryAt(index)));
            }
            else if (_committed[(int)index - 1].Leaf != leaf)
            {
                var known = _committed[(int)index - 1].Entry;
                var mine = node.Log.EntryAt(index);
                throw new CheckFailedException(
                    "identical-committed-prefixes",
                    $"{node.Id} holds {mine.Kind} of term {mine.Term} at committed index {index}; others committed {known.Kind} of term {known.Term} there");
            }
        }
    }
}
