using Vellum.Consensus;

namespace Vellum.Simulator;

/// <summary>
/// What the hosts do as a real node's sequencer would: a leader signs first in its term, takes
/// client writes, signs after every few of them or when idle, and replicates; an operator moves
/// members one at a time, retrying what consensus refuses.
/// </summary>
public sealed partial class Simulation
{
    private readonly bool _membershipChanges;
    private double _writeChance;
    private int _maxBatch;
    private int _signEvery;
    private int _idleSignTicks;

    private void ChooseWorkload()
    {
        _writeChance = 0.2 + (0.7 * _random.NextDouble());
        _maxBatch = 1 + _random.Next(4);
        _signEvery = 1 + _random.Next(6);
        _idleSignTicks = 1 + _random.Next(4);
    }

    /// <summary>A leader's duties on its tick.</summary>
    private void Sequence(SimNode node)
    {
        var raft = node.Raft;
        if (raft.Role != RaftRole.Leader)
        {
            return;
        }

        node.TicksSinceSignature++;

        // After healing, clients write lightly: an open-loop load heavier than a follower's
        // pipeline can carry would leave that follower behind for ever, in any Raft.
        if (!_idle && _random.NextDouble() < (_healed ? 0.3 : _writeChance))
        {
            var batch = _healed ? 1 : 1 + _random.Next(_maxBatch);
            for (var i = 0; i < batch && ProposeData(node); i++)
            {
            }
        }

        var unsigned = raft.LastIndex - node.Log.LastSignatureAtOrBefore(raft.LastIndex);
        if (unsigned >= _signEvery || (unsigned > 0 && node.TicksSinceSignature >= _idleSignTicks))
        {
            ProposeSignature(node);
        }

        raft.Replicate();
    }

    private bool ProposeData(SimNode node)
    {
        var payload = new byte[1 + _random.Next(48)];
        _random.NextBytes(payload);
        var result = node.Raft.Propose(new ReplicatedEntry(node.Raft.Term, LogEntryKind.Data, payload), out var index);
        _trace.Record(_now, 'W', node.Index, (int)result, index);
        if (result != ProposeResult.Accepted)
        {
            return false;
        }

        _checker.Follow(new ClientWrite(node.Raft.Term, index, _now, _nodes.Count));
        if (_trace.KeepsLines)
        {
            Log($"{node.Id}: write {node.Raft.Term}.{index}");
        }

        return true;
    }

    private void ProposeSignature(SimNode node)
    {
        var raft = node.Raft;
        var result = raft.Propose(EntryLeaves.Signature(raft.Term, node.Log.Tree), out var index);
        _trace.Record(_now, 'S', node.Index, (int)result, index);
        if (result == ProposeResult.Accepted)
        {
            node.TicksSinceSignature = 0;
            Log($"{node.Id}: signature {raft.Term}.{index}");
        }
    }

    /// <summary>Sometimes asks the leader for one membership change: add a learner, promote a caught-up one, or remove a voter.</summary>
    private void ChangeMembership()
    {
        if (!_membershipChanges || _random.NextDouble() >= 0.1 || CurrentLeader() is not { } leader)
        {
            return;
        }

        var raft = leader.Raft;
        var configuration = raft.Configuration;
        var changes = new List<(string What, ClusterConfiguration Next)>();
        foreach (var learner in configuration.Learners)
        {
            if (raft.CommitIndex > 0 && raft.DurableIndexOf(learner) >= raft.CommitIndex)
            {
                changes.Add(($"promote {learner}", configuration.WithVoter(learner)));
            }
        }

        foreach (var node in _nodes.Where(node => !configuration.Contains(node.Id)))
        {
            changes.Add(($"add learner {node.Id}", configuration.WithLearner(node.Id)));
        }

        if (configuration.Voters.Count > 3)
        {
            var voter = configuration.Voters[_random.Next(configuration.Voters.Count)];
            changes.Add(($"remove {voter}", configuration.Without(voter)));
        }

        if (changes.Count == 0)
        {
            return;
        }

        var (what, next) = changes[_random.Next(changes.Count)];
        var result = raft.Propose(EntryLeaves.Configuration(raft.Term, next), out var index);
        _trace.Record(_now, 'M', leader.Index, (int)result, index);
        Log($"{leader.Id}: {what} at {index}: {result}");
        if (result == ProposeResult.Accepted)
        {
            _statistics.ConfigurationChanges++;
            raft.Replicate();
            AfterEvent(leader);
        }
    }
}
