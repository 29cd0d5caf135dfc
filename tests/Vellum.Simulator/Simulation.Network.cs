using Vellum.Consensus.Messages;

namespace Vellum.Simulator;

/// <summary>The network: delay (and so reordering), loss, duplication and partitions.</summary>
public sealed partial class Simulation
{
    private readonly List<RaftMessage> _outgoing = [];
    private double _lossRate;
    private double _duplicationRate;
    private int _maxDelay = 10;

    /// <summary>Each node's side of the current partition; nodes talk only within one side.</summary>
    private readonly int[] _side;

    private static (int Kind, long A, long B, long C) Summarise(RaftMessage message) => message switch
    {
        PreVoteRequest m => (1, m.LastCommittableIndex, m.LastCommittableTerm, 0),
        PreVoteResponse m => (2, m.Granted ? 1 : 0, 0, 0),
        VoteRequest m => (3, m.LastCommittableIndex, m.LastCommittableTerm, 0),
        VoteResponse m => (4, m.Granted ? 1 : 0, 0, 0),
        AppendEntriesRequest m => (5, m.PrevIndex, m.Entries.Count, m.LeaderCommit),
        AppendEntriesResponse m => (6, m.Success ? m.MatchIndex : -m.MatchIndex, m.DurableIndex, m.HintIndex),
        _ => (0, 0, 0, 0),
    };

    private static string Format(RaftMessage message) => message switch
    {
        PreVoteRequest m => $"PreVote? t{m.Term} last sig {m.LastCommittableTerm}.{m.LastCommittableIndex}",
        PreVoteResponse m => $"PreVote{(m.Granted ? "+" : "-")} t{m.Term}",
        VoteRequest m => $"Vote? t{m.Term} last sig {m.LastCommittableTerm}.{m.LastCommittableIndex}",
        VoteResponse m => $"Vote{(m.Granted ? "+" : "-")} t{m.Term}",
        AppendEntriesRequest m => $"Append t{m.Term} prev {m.PrevTerm}.{m.PrevIndex} +{m.Entries.Count} commit {m.LeaderCommit}",
        AppendEntriesResponse m => $"Append{(m.Success ? "+" : "-")} t{m.Term} match {m.MatchIndex} durable {m.DurableIndex}" + (m.Success ? string.Empty : $" hint {m.HintTerm}.{m.HintIndex}"),
        _ => message.ToString(),
    };

    private void SendAll(SimNode node)
    {
        node.Raft.TakeMessages(_outgoing);
        foreach (var message in _outgoing)
        {
            Send(message);
        }

        _outgoing.Clear();
    }

    private void Send(RaftMessage message)
    {
        _statistics.Messages++;
        if (_random.NextDouble() < _lossRate)
        {
            _statistics.Dropped++;
            Record('L', message);
            return;
        }

        var copies = 1;
        if (_random.NextDouble() < _duplicationRate)
        {
            _statistics.Duplicated++;
            copies = 2;
        }

        for (var copy = 0; copy < copies; copy++)
        {
            var delay = 1 + _random.Next(_maxDelay);
            Schedule(delay, new SimEvent(EventKind.Deliver, _indexOf[message.To], Message: message));
        }
    }

    private void Deliver(RaftMessage message)
    {
        var to = _nodes[_indexOf[message.To]];
        var from = _indexOf[message.From];
        if (!to.Alive || _side[from] != _side[to.Index])
        {
            _statistics.Dropped++;
            Record('X', message);
            return;
        }

        Record('>', message);
        to.Raft.Receive(message);
        AfterEvent(to);
    }

    private void Record(char what, RaftMessage message)
    {
        var (kind, a, b, c) = Summarise(message);
        _trace.Record(_now, what, (_indexOf[message.From] * 16) + _indexOf[message.To], (message.Term * 8) + kind, a ^ (b << 20) ^ (c << 40));
        if (_trace.KeepsLines)
        {
            _trace.Line(_now, $"{message.From}{what}{message.To} {Format(message)}");
        }
    }
}
