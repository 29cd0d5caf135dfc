using Vellum.Consensus.InMemory;
using Vellum.Consensus.Messages;

namespace Vellum.Consensus.Tests.Support;

/// <summary>
/// A cluster driven by hand for targeted scenarios: the test decides who ticks, which messages
/// arrive, and when logs are flushed. Messages wait in <see cref="InFlight"/> until delivered.
/// </summary>
internal sealed class LocalCluster
{
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly HashSet<(string From, string To)> _cut = [];
    private readonly RaftOptions _options;
    private int _restarts;

    public LocalCluster(int voters, RaftOptions? options = null, params string[] joiners)
    {
        _options = options ?? new RaftOptions { ElectionTimeoutTicks = 10, HeartbeatIntervalTicks = 1, RetransmitTicks = 3 };
        var founders = ClusterConfiguration.OfVoters([.. Enumerable.Range(1, voters).Select(i => new NodeId($"n{i}"))]);
        foreach (var voter in founders.Voters)
        {
            Add(voter.Value, founders, new InMemoryRaftLog(), new InMemoryHardStateStore());
        }

        foreach (var joiner in joiners)
        {
            Add(joiner, ClusterConfiguration.Empty, new InMemoryRaftLog(), new InMemoryHardStateStore());
        }
    }

    /// <summary>Whether every append is made durable as soon as it happens.</summary>
    public bool AutoFlush { get; set; } = true;

    public List<RaftMessage> InFlight { get; } = [];

    public List<RaftMessage> Delivered { get; } = [];

    /// <summary>Messages a cut link or a filter dropped.</summary>
    public List<RaftMessage> Dropped { get; } = [];

    public IEnumerable<string> Ids => _order;

    public RaftNode this[string id] => _members[id].Node;

    public InMemoryRaftLog Log(string id) => _members[id].Log;

    public InMemoryHardStateStore Store(string id) => _members[id].Store;

    /// <summary>Adds a node over a log and hard state the test may have prepared.</summary>
    public void Add(string id, ClusterConfiguration bootstrap, InMemoryRaftLog log, InMemoryHardStateStore store)
    {
        var member = new Member(id, bootstrap, log, store);
        member.Node = new RaftNode(new NodeId(id), bootstrap, log, store, new Random(_order.Count + 1), _options);
        _members[id] = member;
        _order.Add(id);
    }

    /// <summary>Replaces a node's log and hard state before anything happened, to start from divergent histories.</summary>
    public void Replace(string id, InMemoryRaftLog log, InMemoryHardStateStore store)
    {
        var old = _members[id];
        var member = new Member(id, old.Bootstrap, log, store);
        member.Node = new RaftNode(new NodeId(id), old.Bootstrap, log, store, new Random(100 + _order.IndexOf(id)), _options);
        _members[id] = member;
    }

    public void Tick(string id, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _members[id].Node.Tick();
            Collect(id);
        }
    }

    /// <summary>Ticks every node once, in order.</summary>
    public void TickAll()
    {
        foreach (var id in _order)
        {
            Tick(id);
        }
    }

    /// <summary>Delivers the messages in flight now, one hop, leaving those they cause in flight.</summary>
    public void DeliverRound() => DeliverAll(maxRounds: 1);

    /// <summary>Delivers messages, and those they cause, until none is left or <paramref name="maxRounds"/> pass; cut links drop theirs.</summary>
    public void DeliverAll(Func<RaftMessage, bool>? keep = null, int maxRounds = 1000)
    {
        for (var round = 0; round < maxRounds && InFlight.Count > 0; round++)
        {
            var batch = InFlight.ToList();
            InFlight.Clear();
            foreach (var message in batch)
            {
                if (!_cut.Contains((message.From.Value, message.To.Value)) && (keep is null || keep(message)))
                {
                    Deliver(message);
                }
                else
                {
                    Dropped.Add(message);
                }
            }
        }
    }

    public void Deliver(RaftMessage message)
    {
        Delivered.Add(message);
        var to = message.To.Value;
        _members[to].Node.Receive(message);
        Collect(to);
    }

    /// <summary>Campaigns on <paramref name="id"/>'s behalf and lets the election run to its end.</summary>
    public void Elect(string id)
    {
        Campaign(id);
        DeliverAll();
    }

    /// <summary>Has <paramref name="id"/> campaign now, leaving its requests in flight.</summary>
    public void Campaign(string id)
    {
        _members[id].Node.Campaign();
        Collect(id);
    }

    /// <summary>Cuts both directions between <paramref name="id"/> and every other node.</summary>
    public void Isolate(string id)
    {
        foreach (var other in _order.Where(other => other != id))
        {
            Cut(id, other);
        }
    }

    public void Cut(string a, string b)
    {
        _cut.Add((a, b));
        _cut.Add((b, a));
    }

    public void Heal() => _cut.Clear();

    /// <summary>Ticks <paramref name="id"/> past any leader lease and election timeout, dropping what it sends meanwhile.</summary>
    public void TickAlone(string id, int times)
    {
        Tick(id, times);
        InFlight.RemoveAll(message => message.From.Value == id);
    }

    /// <summary>Makes <paramref name="id"/>'s log durable and tells its node.</summary>
    public void Flush(string id)
    {
        if (_members[id].Log.FlushNow())
        {
            _members[id].Node.LogDurabilityAdvanced();
            Collect(id);
        }
    }

    public void FlushAll()
    {
        foreach (var id in _order)
        {
            Flush(id);
        }
    }

    public ProposeResult Propose(string id, LogEntryKind kind, out long index, ClusterConfiguration? configuration = null)
    {
        var node = _members[id].Node;
        var result = node.Propose(new ReplicatedEntry(node.Term, kind, new byte[] { (byte)kind, 7 }, configuration), out index);
        node.Replicate();
        Collect(id);
        return result;
    }

    public long Propose(string id, LogEntryKind kind = LogEntryKind.Data)
    {
        Assert.Equal(ProposeResult.Accepted, Propose(id, kind, out var index));
        return index;
    }

    /// <summary>Has <paramref name="id"/>, as leader, send what its followers lack.</summary>
    public void Replicate(string id)
    {
        _members[id].Node.Replicate();
        Collect(id);
    }

    /// <summary>Crashes <paramref name="id"/> (its volatile suffix is lost, its messages in flight too) and starts it again.</summary>
    public void CrashAndRestart(string id)
    {
        var member = _members[id];
        member.Log.LoseVolatileSuffix();
        InFlight.RemoveAll(message => message.To.Value == id);
        member.Node = new RaftNode(new NodeId(id), member.Bootstrap, member.Log, member.Store, new Random(1000 + ++_restarts), _options);
    }

    /// <summary>Entry terms of <paramref name="id"/>'s log, index 1 first: what a comparison of two logs needs.</summary>
    public long[] Terms(string id) => [.. _members[id].Log.Entries.Select(entry => entry.Term)];

    private void Collect(string id)
    {
        if (AutoFlush)
        {
            var member = _members[id];
            if (member.Log.FlushNow())
            {
                member.Node.LogDurabilityAdvanced();
            }
        }

        _members[id].Node.TakeMessages(InFlight);
    }

    private sealed class Member(string id, ClusterConfiguration bootstrap, InMemoryRaftLog log, InMemoryHardStateStore store)
    {
        public string Id { get; } = id;

        public ClusterConfiguration Bootstrap { get; } = bootstrap;

        public InMemoryRaftLog Log { get; } = log;

        public InMemoryHardStateStore Store { get; } = store;

        public RaftNode Node { get; set; } = null!;
    }
}
