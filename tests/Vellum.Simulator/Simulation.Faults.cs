using Vellum.Consensus;

namespace Vellum.Simulator;

/// <summary>Faults while the run is in its chaos phase, then healing and the wait for progress.</summary>
public sealed partial class Simulation
{
    /// <summary>Ticks a healed cluster may go without replicating or committing anything more.</summary>
    private const int StallTicks = 200;

    /// <summary>Ticks a healed cluster has at most, for each of progress and idle convergence.</summary>
    private const int WaitCapTicks = 3000;

    private readonly long _healAt;

    /// <summary>How often this run partitions and crashes, relative to the base rates.</summary>
    private readonly double _intensity;
    private long _deadline = long.MaxValue;
    private bool _healed;
    private bool _idle;
    private long _waitCap;
    private long _replicated;
    private int _steps;

    private void Step()
    {
        _steps++;
        _trace.Record(_now, (int)EventKind.Step, _steps);
        if (!_healed && _now >= _healAt)
        {
            Heal();
        }
        else if (!_healed)
        {
            InjectFaults();
            ChangeMembership();
        }

        if (_steps % 5 == 0)
        {
            _checker.CheckStatuses(all: false, _random);
        }

        if (_healed)
        {
            WaitForProgress();
        }

        Schedule(StepPeriod, new SimEvent(EventKind.Step, -1));
    }

    private void InjectFaults()
    {
        var partitioned = _side.Any(side => side != 0);
        if (_random.NextDouble() < (partitioned ? 0.05 : 0.015) * _intensity)
        {
            Partition(partitioned);
        }

        if (_random.NextDouble() < 0.01 * _intensity)
        {
            Crash();
        }

        if (_random.NextDouble() < 0.01)
        {
            (_lossRate, _duplicationRate, _maxDelay) = (Pick(0, 0.01, 0.05, 0.15, 0.3), Pick(0, 0.01, 0.05), Pick(3, 10, 30, 80));
            Log($"network: loss {_lossRate}, duplication {_duplicationRate}, delay up to {_maxDelay}");
        }

        if (_random.NextDouble() < 0.01)
        {
            var node = _nodes[_random.Next(_nodes.Count)];
            node.TickPeriod = 7 + _random.Next(7);
            Log($"{node.Id}: clock drifts to a tick every {node.TickPeriod}");
        }

        if (_random.NextDouble() < 0.02)
        {
            var node = _nodes[_random.Next(_nodes.Count)];
            node.MaxFlushDelay = Pick(2, 5, 20, 60, 200);
            Log($"{node.Id}: flushes take up to {node.MaxFlushDelay}");
        }
    }

    private void Partition(bool partitioned)
    {
        Array.Clear(_side);
        var kind = partitioned && _random.Next(2) == 0 ? 0 : 1 + _random.Next(3);
        var leader = CurrentLeader();
        switch (kind)
        {
            case 1:
                // A random split, possibly into more than two sides.
                for (var i = 0; i < _side.Length; i++)
                {
                    _side[i] = _random.Next(3);
                }

                break;
            case 2 when leader is not null:
                _side[leader.Index] = 1;
                break;
            default:
                // A minority of the founders cut off from the majority (the leader may be on either side).
                var minority = 1 + _random.Next((_settings.Nodes - 1) / 2 + 1);
                foreach (var index in Enumerable.Range(0, _side.Length).OrderBy(_ => _random.Next()).Take(minority))
                {
                    _side[index] = 1;
                }

                break;
        }

        if (kind != 0)
        {
            _statistics.Partitions++;
        }

        _trace.Record(_now, 'P', _side.Aggregate(0L, (sides, side) => (sides * 3) + side));
        Log($"partition: {string.Join(" | ", _side.Select((side, i) => (side, i)).GroupBy(x => x.side).OrderBy(g => g.Key).Select(g => string.Join(",", g.Select(x => _nodes[x.i].Id))))}");
    }

    private void Crash()
    {
        var alive = _nodes.Where(node => node.Alive).ToList();
        if (alive.Count == 0)
        {
            return;
        }

        if (_random.NextDouble() < 0.1)
        {
            // A power failure: every node stops at once, and only what each had made durable
            // remains. What was committed must survive it, since it was durable on a majority.
            Log("power failure");
            foreach (var node in alive)
            {
                Crash(node, 1 + _random.Next(100));
            }

            return;
        }

        var leader = CurrentLeader();
        var choice = _random.Next(4);
        var victim = choice switch
        {
            0 when leader is not null => leader,

            // The node with most to lose: its acknowledgements are what durability is about.
            1 => alive.OrderByDescending(node => node.Log.LastIndex - node.Log.DurableIndex).ThenBy(node => node.Index).First(),
            _ => alive[_random.Next(alive.Count)],
        };
        Crash(victim, _random.Next(2) == 0 ? 20 + _random.Next(200) : 200 + _random.Next(1500));
    }

    private void Crash(SimNode node, int downtime)
    {
        var lost = node.Log.LastIndex - node.Log.DurableIndex;
        node.Crash();
        _statistics.Crashes++;
        _statistics.LostEntries += lost;
        _trace.Record(_now, 'C', node.Index, node.Log.LastIndex);
        Log($"{node.Id}: crash, {lost} volatile entries lost, log now {node.Log.LastIndex}");
        Schedule(downtime, new SimEvent(EventKind.Restart, node.Index));
    }

    private void Restart(SimNode node)
    {
        if (node.Alive)
        {
            return;
        }

        node.Restart();
        _trace.Record(_now, 'R', node.Index, node.Incarnation);
        Log($"{node.Id}: restart #{node.Incarnation} in term {node.Raft.Term} with log {node.Log.LastIndex}, durable {node.Log.DurableIndex}");
        Schedule(1 + _random.Next(node.TickPeriod), new SimEvent(EventKind.Tick, node.Index, node.Incarnation));
        AfterEvent(node);
    }

    private void Heal()
    {
        _healed = true;
        Array.Clear(_side);
        (_lossRate, _duplicationRate, _maxDelay) = (0, 0, 10);
        foreach (var node in _nodes)
        {
            node.MaxFlushDelay = Pick(4, 40);
            Restart(node);
        }

        StartWaiting();
        _trace.Record(_now, 'H');
        Log("heal: no more faults, light client writes; a new write must now commit on every live voter");
    }

    /// <summary>
    /// After healing, waits for a write made since then to be committed on every voter of its
    /// configuration; then stops client writes and waits for every member to hold the leader's
    /// whole log and commit all of it, as an idle cluster must. Either wait fails when nothing
    /// more is replicated or committed for a while (a lagging node catches up at the pace of its
    /// pipeline, which is fine; stopping is not), or when it lasts too long altogether.
    /// </summary>
    private void WaitForProgress()
    {
        if (!_idle && CommittedAfterHealing() is { } write)
        {
            Log($"progress: {write} is committed on every voter; client writes stop");
            _idle = true;
            StartWaiting();
            RestartWhileIdle();
            return;
        }

        if (_idle && Converged())
        {
            Log("idle: every member holds and commits the leader's whole log");
            _finished = true;
            return;
        }

        var replicated = Replicated();
        if (replicated > _replicated && _now < _waitCap)
        {
            _replicated = replicated;
            _deadline = _now + (StallTicks * StepPeriod);
        }

        if (_now >= _deadline)
        {
            throw new CheckFailedException(
                "progress-after-heal",
                (_idle
                    ? "no convergence: client writes stopped, yet not every member holds and commits the leader's log"
                    : $"no progress: no write made after healing at {_healAt} is committed on every live voter")
                + $" ({(_now >= _waitCap ? $"after {WaitCapTicks} ticks" : $"nothing more replicated or committed for {StallTicks} ticks")}); {DescribeNodes()}");
        }
    }

    private void StartWaiting()
    {
        _replicated = Replicated();
        _deadline = _now + (StallTicks * StepPeriod);
        _waitCap = _now + (WaitCapTicks * StepPeriod);
    }

    private ClientWrite? CommittedAfterHealing()
    {
        var writes = _checker.Writes;
        for (var i = writes.Count - 1; i >= 0 && writes[i].ProposedAt >= _healAt; i--)
        {
            if (CommittedOnEveryVoter(writes[i]))
            {
                return writes[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Restarts the follower with the most unflushed entries, as a rolling restart would: an idle
    /// leader sends nothing new, so only its heartbeats can show what the follower lost.
    /// </summary>
    private void RestartWhileIdle()
    {
        var follower = _nodes.Where(node => node.Alive && node.Raft.Role != RaftRole.Leader)
            .OrderByDescending(node => node.Log.LastIndex - node.Log.DurableIndex)
            .ThenBy(node => node.Index)
            .FirstOrDefault();
        if (follower is not null)
        {
            Crash(follower, 20 + _random.Next(80));
        }
    }

    private bool Converged()
    {
        if (CurrentLeader() is not { } leader || leader.Raft.CommitIndex != leader.Log.LastIndex)
        {
            return false;
        }

        var last = leader.Log.LastIndex;
        return leader.Raft.Configuration.Members.All(member => _nodes[_indexOf[member]] is { Alive: true } node
            && node.Log.LastIndex == last
            && node.Log.LeafAt(last) == leader.Log.LeafAt(last)
            && node.Raft.CommitIndex == last);
    }

    /// <summary>
    /// A measure that grows while the cluster gets anywhere: what live nodes committed, and
    /// what followers hold durably (a majority far behind a new leader catches up for a long
    /// time before the leader's first signature can commit).
    /// </summary>
    private long Replicated() =>
        _nodes.Where(node => node.Alive).Sum(node => node.Raft.CommitIndex + (node.Raft.Role == RaftRole.Leader ? 0 : node.Log.DurableIndex));

    private bool CommittedOnEveryVoter(ClientWrite write)
    {
        var holder = _nodes.FirstOrDefault(node => node.Alive && node.Raft.StatusOf(write.Term, write.Index) == CommitStatus.Committed);
        if (holder is null)
        {
            return false;
        }

        var voters = holder.Log.LastConfigurationAtOrBefore(write.Index)?.Configuration.Voters ?? _founders.Voters;
        return voters.All(voter => _nodes[_indexOf[voter]] is { Alive: true } node
            && node.Raft.StatusOf(write.Term, write.Index) == CommitStatus.Committed);
    }

    private SimNode? CurrentLeader() =>
        _nodes.Where(node => node.Alive && node.Raft.Role == RaftRole.Leader)
            .OrderByDescending(node => node.Raft.Term)
            .FirstOrDefault();

    private string DescribeNodes() => string.Join("; ", _nodes.Select(node => node.Alive
        ? $"{node.Id} {node.Raft.Role} t{node.Raft.Term} last {node.Log.LastIndex} durable {node.Log.DurableIndex} commit {node.Raft.CommitIndex} config [{node.Raft.Configuration}]"
        : $"{node.Id} down"));
}
