using Vellum.Consensus;
using Vellum.Core;

namespace Vellum.Simulator;

/// <summary>
/// One seeded run of a simulated cluster. A single <see cref="Random"/> seeded with the run's
/// seed decides everything the scheduler does (delays, losses, faults, workload); each node's
/// consensus gets a <see cref="Random"/> of its own, derived from the seed, the node and its
/// incarnation. Time is discrete and nothing reads a clock, so a seed replays exactly.
/// </summary>
public sealed partial class Simulation
{
    /// <summary>Time units between scheduler steps (a node's nominal tick period).</summary>
    private const int StepPeriod = 10;

    /// <summary>The most events that may wait at once; runs stay near a few hundred.</summary>
    private const int MaxEventsWaiting = 10_000;

    private readonly SimulationSettings _settings;
    private readonly Random _random;
    private readonly List<SimNode> _nodes = [];
    private readonly Dictionary<NodeId, int> _indexOf = [];
    private readonly PriorityQueue<SimEvent, (long Time, long Sequence)> _queue = new();
    private readonly Trace _trace;
    private readonly ClusterChecker _checker;
    private readonly ClusterConfiguration _founders;
    private readonly SimulationStatistics _statistics = new();
    private long _now;
    private long _sequence;
    private bool _finished;

    /// <summary>Sets up the cluster a seed describes.</summary>
    public Simulation(SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Nodes is < 1 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Nodes, "A simulated cluster has 1 to 9 founding voters.");
        }

        _settings = settings;
        _random = new Random(settings.Seed);
        _trace = new Trace(settings.TraceLines, settings.Echo);
        var options = ChooseOptions();
        ChooseWorkload();
        var founders = Enumerable.Range(1, settings.Nodes).Select(i => new NodeId($"n{i}")).ToArray();
        _founders = ClusterConfiguration.OfVoters(founders);
        foreach (var id in founders)
        {
            AddNode(id, _founders, options);
        }

        var joiners = _random.Next(2) == 0 ? 1 + _random.Next(2) : 0;
        _membershipChanges = joiners > 0;
        for (var i = 1; i <= joiners; i++)
        {
            AddNode(new NodeId($"j{i}"), ClusterConfiguration.Empty, options);
        }

        _side = new int[_nodes.Count];
        _checker = new ClusterChecker(_nodes);
        _healAt = 1500 + _random.Next(2500);
        _intensity = Pick(0.5, 1, 2, 4, 8);
        foreach (var node in _nodes)
        {
            node.TickPeriod = 8 + _random.Next(5);
            node.MaxFlushDelay = Pick(2, 5, 20, 60);
            Schedule(1 + _random.Next(StepPeriod), new SimEvent(EventKind.Tick, node.Index));
        }

        Schedule(StepPeriod, new SimEvent(EventKind.Step, -1));
        Log($"seed {settings.Seed}: {settings.Nodes} voters, {joiners} joiners, heal at {_healAt}, fault intensity {_intensity}, {Describe(options)}");
    }

    /// <summary>The simulated nodes, founders first.</summary>
    public IReadOnlyList<SimNode> Nodes => _nodes;

    /// <summary>Runs one seed and reports how it went.</summary>
    public static SimulationResult Run(SimulationSettings settings) => new Simulation(settings).Run();

    /// <summary>Runs until the cluster has made progress after healing, or a checker fails.</summary>
    public SimulationResult Run()
    {
        string? checker = null;
        string? message = null;
        try
        {
            while (!_finished && _queue.TryDequeue(out var next, out var at))
            {
                _now = at.Time;
                Dispatch(next);
            }

            _checker.CheckAllPrefixes();
            _checker.CheckStatuses(all: true);
        }
        catch (CheckFailedException failure)
        {
            (checker, message) = (failure.Checker, failure.Message);
        }
        catch (InvariantViolationException violation)
        {
            (checker, message) = ("invariant", violation.Message);
        }
        catch (ArgumentException exception)
        {
            (checker, message) = ("exception", exception.ToString());
        }
        catch (InvalidOperationException exception)
        {
            (checker, message) = ("exception", exception.ToString());
        }

        if (checker is not null)
        {
            Log($"FAILED {checker}: {message}");
        }

        _statistics.Time = _now;
        _statistics.Leaders = _checker.TermsWithLeader;
        _statistics.Committed = _checker.HighestCommitted;
        _statistics.Writes = _checker.Writes.Count;
        return new SimulationResult(_settings, checker, message, _trace.Hash, _trace.Lines, _statistics);
    }

    private void AddNode(NodeId id, ClusterConfiguration bootstrap, RaftOptions options)
    {
        var node = new SimNode(_nodes.Count, id, bootstrap, _settings.Seed, options);
        _indexOf[id] = node.Index;
        _nodes.Add(node);
    }

    private RaftOptions ChooseOptions() => new()
    {
        ElectionTimeoutTicks = Pick(3, 5, 10, 20),
        HeartbeatIntervalTicks = 1 + _random.Next(2),
        RetransmitTicks = 2 + _random.Next(3),
        MaxEntriesPerMessage = Pick(2, 4, 16, 1024),
        MaxBytesPerMessage = Pick(256, 1024 * 1024),
        MaxInflightMessages = Pick(1, 2, 4),

        // A leader's back-pressure keeps the workload within what replication can carry, so
        // that a lagging node can catch up within the progress deadline.
        MaxUncommittedEntries = Pick(16, 64, 1000),
    };

    private static string Describe(RaftOptions options) =>
        $"heartbeat {options.HeartbeatIntervalTicks}, retransmit {options.RetransmitTicks}, batch {options.MaxEntriesPerMessage}/{options.MaxBytesPerMessage}B, in flight {options.MaxInflightMessages}, uncommitted {options.MaxUncommittedEntries}";

    private T Pick<T>(params T[] choices) => choices[_random.Next(choices.Length)];

    private void Schedule(long delay, SimEvent simEvent)
    {
        _queue.Enqueue(simEvent, (_now + delay, _sequence++));
        _statistics.PeakEvents = Math.Max(_statistics.PeakEvents, _queue.Count);
        if (_queue.Count > MaxEventsWaiting)
        {
            // Replication bounds what is in flight to each follower; traffic that grows without
            // bound means messages cause more messages than they answer.
            throw new CheckFailedException("bounded-traffic", $"{_queue.Count} events waiting: messages are multiplying");
        }
    }

    private void Dispatch(SimEvent simEvent)
    {
        switch (simEvent.Kind)
        {
            case EventKind.Tick:
                OnTick(_nodes[simEvent.Node], simEvent.Incarnation);
                break;
            case EventKind.Deliver:
                Deliver(simEvent.Message!);
                break;
            case EventKind.FlushDone:
                OnFlushDone(_nodes[simEvent.Node], simEvent);
                break;
            case EventKind.Restart:
                Restart(_nodes[simEvent.Node]);
                break;
            case EventKind.Step:
                Step();
                break;
        }
    }

    private void OnTick(SimNode node, int incarnation)
    {
        if (!node.Alive || node.Incarnation != incarnation)
        {
            return;
        }

        _trace.Record(_now, (int)EventKind.Tick, node.Index);
        node.Raft.Tick();
        Sequence(node);
        AfterEvent(node);
        Schedule(node.TickPeriod, new SimEvent(EventKind.Tick, node.Index, node.Incarnation));
    }

    private void OnFlushDone(SimNode node, SimEvent simEvent)
    {
        if (!node.Alive || node.Incarnation != simEvent.Incarnation || node.PendingFlush != simEvent.Flush)
        {
            return;
        }

        node.PendingFlush = null;
        var advanced = node.Log.Inner.CompleteFlush(simEvent.Flush!);
        _trace.Record(_now, (int)EventKind.FlushDone, node.Index, node.Log.DurableIndex);
        if (advanced)
        {
            node.Raft.LogDurabilityAdvanced();
        }

        AfterEvent(node);
    }

    /// <summary>What the host does after anything happened on a node: sign if owed, send, flush, check.</summary>
    private void AfterEvent(SimNode node)
    {
        if (node.Raft.Role == RaftRole.Leader && node.Raft.NeedsSignature)
        {
            ProposeSignature(node);
            node.Raft.Replicate();
        }

        SendAll(node);
        if (node.PendingFlush is null && node.Log.LastIndex > node.Log.DurableIndex)
        {
            node.PendingFlush = node.Log.Inner.BeginFlush();
            Schedule(1 + _random.Next(node.MaxFlushDelay), new SimEvent(EventKind.FlushDone, node.Index, node.Incarnation, Flush: node.PendingFlush));
        }

        _checker.AfterEvent(node);
    }

    private void Log(string text)
    {
        if (_trace.KeepsLines)
        {
            _trace.Line(_now, text);
        }
    }
}
