using Microsoft.Extensions.Logging;
using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Core;
using Vellum.Node.Sequencing;
using Vellum.Storage;

namespace Vellum.Node.Replication;

/// <summary>
/// The node's seat in consensus: the <see cref="RaftNode"/> behind a lock, fed by a ticker, by
/// the ledger's group commit (durability), by peers' messages and by the sequencer's proposals.
/// After each step it sends what consensus produced, publishes the commit index to the commit
/// tracker, and tells the sequencer when leadership changed.
/// </summary>
internal sealed partial class Replica : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly RaftNode _raft;
    private readonly Ledger _ledger;
    private readonly long _configurationFloor;
    private readonly CommitTracker _commits;
    private readonly ReplicaOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<Exception> _fail;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<RaftMessage> _taken = [];
    private IPeerSender? _peers;
    private (RaftRole Role, long Term, bool NeedsSignature) _lastLeadership;
    private Task _ticker = Task.CompletedTask;

    public Replica(NodeId self, ClusterConfiguration bootstrap, LedgerRaftLog log, Ledger ledger, IHardStateStore store, CommitTracker commits, ReplicaOptions options, TimeProvider time, ILogger logger, Action<Exception> fail)
    {
        // Consensus hears of durability from the ledger's flusher (ReportDurability).
        if (!ledger.FlushesInBackground)
        {
            throw new ArgumentException("A replica needs a ledger that flushes in the background.", nameof(ledger));
        }

        _ledger = ledger;
        _commits = commits;
        _options = options;
        _time = time;
        _logger = logger;
        _fail = fail;
        _self = self;
        _configurationFloor = log.ConfigurationFloor;
        LoadMembershipAtStart();
        log.ServiceRecordAppended += (_, entry) =>
        {
            if (ReplicatedEntries.ReadMembership(entry.Span) is { } membership)
            {
                MembershipRecorded(membership);
            }
        };
        log.Truncated += last => MembershipRecorded(LoadMembership(last));
#pragma warning disable CA5394 // Election jitter needs no cryptographic randomness.
        _raft = new RaftNode(self, bootstrap, log, store, new Random(), options.Raft);
#pragma warning restore CA5394
    }

    /// <summary>Raised, outside the lock, when this node's role or term changed or a new leader owes a signature.</summary>
    public event Action? LeadershipChanged;

    public NodeId Id => _raft.Id;

    public long Term
    {
        get
        {
            lock (_gate)
            {
                return _raft.Term;
            }
        }
    }

    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _raft.Role == RaftRole.Leader;
            }
        }
    }

    public NodeId? LeaderId
    {
        get
        {
            lock (_gate)
            {
                return _raft.LeaderId;
            }
        }
    }

    public bool NeedsSignature
    {
        get
        {
            lock (_gate)
            {
                return _raft.Role == RaftRole.Leader && _raft.NeedsSignature;
            }
        }
    }

    /// <summary>Term, leadership and this node's place in the configuration, read together.</summary>
    public ReplicaStatus Status
    {
        get
        {
            lock (_gate)
            {
                var configuration = _raft.Configuration;
                var role = configuration.IsVoter(_raft.Id) ? "voter" : configuration.Contains(_raft.Id) ? "learner" : "none";
                return new ReplicaStatus(_raft.Term, _raft.Role == RaftRole.Leader, _raft.LeaderId, role);
            }
        }
    }

    /// <summary>
    /// The primary's API address, when the primary is known and some membership record named it:
    /// a primary that retires itself is no longer in the membership, but leads, and takes writes,
    /// until its removal commits.
    /// </summary>
    public string? LeaderApiAddress
    {
        get
        {
            lock (_gate)
            {
                return _raft.LeaderId is { } leader && _known.TryGetValue(leader, out var member) ? member.ApiAddress : null;
            }
        }
    }

    public long CommitIndex
    {
        get
        {
            lock (_gate)
            {
                return _raft.CommitIndex;
            }
        }
    }

    /// <summary>As leader, the last index known durable on <paramref name="node"/>; otherwise null.</summary>
    public long? DurableIndexOf(NodeId node)
    {
        lock (_gate)
        {
            return _raft.DurableIndexOf(node);
        }
    }

    /// <summary>Takes up the commit index saved before the node stopped (see <see cref="RaftNode.RestoreCommitIndex"/>); call before <see cref="Start"/>.</summary>
    public void RestoreCommitIndex(long saved) => Step(raft => raft.RestoreCommitIndex(saved));

    /// <summary>Starts ticking and following durability; a sole voter campaigns at once rather than after a timeout.</summary>
    public void Start(IPeerSender? peers)
    {
        _peers = peers;
        Step(static raft =>
        {
            if (raft.Configuration.Voters.Count == 1 && raft.Configuration.IsVoter(raft.Id))
            {
                raft.Campaign();
            }
        });
        _ticker = Task.Run(TickAsync);

        // Subscribed before the first report, so that no flush falls between the two.
        _ledger.Flushed += ReportDurability;
        _ledger.Faulted += LedgerFaulted;
        ReportDurability();
    }

    /// <summary>Appends <paramref name="entry"/> if this node leads in its term; call <see cref="Replicate"/> after a batch.</summary>
    public ProposeResult Propose(ReplicatedEntry entry, out long index)
    {
        ProposeResult result;
        lock (_gate)
        {
            result = _raft.Propose(entry, out index);
            PublishPeers();
        }

        if (entry.Kind == LogEntryKind.Signature)
        {
            // The flag that a new leader owes a signature may have cleared.
            Step(static _ => { });
        }

        return result;
    }

    /// <summary>Sends the entries proposed so far to the followers.</summary>
    public void Replicate() => Step(static raft => raft.Replicate());

    /// <summary>Handles a message from a peer.</summary>
    public void Receive(RaftMessage message) => Step(raft => raft.Receive(message));

    /// <summary>The status of <paramref name="id"/> on this node, by CCF's rule.</summary>
    public CommitStatus StatusOf(TransactionId id)
    {
        lock (_gate)
        {
            return _raft.StatusOf(id.View, id.Seqno);
        }
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(_options.TickInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                Step(static raft => raft.Tick());
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failure in consensus must fault the node visibly.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _fail(exception);
        }
    }

    /// <summary>Makes the durable tail known to consensus one last time, then stops ticking and following durability.</summary>
    public async ValueTask DisposeAsync()
    {
        _ledger.Flushed -= ReportDurability;
        _ledger.Faulted -= LedgerFaulted;
        await _stopping.CancelAsync();
        await _ticker;
        if (_ledger.LastSeqno > _ledger.DurableSeqno)
        {
            try
            {
                await _ledger.WaitDurableAsync(_ledger.LastSeqno);
            }
            catch (LedgerFaultedException)
            {
                // What was not durable when the ledger failed is lost; the node reported the
                // failure then (its Fault), and still stops and releases its files.
            }
        }

        Step(static raft => raft.LogDurabilityAdvanced());
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} is {Role} in term {Term}.")]
    private static partial void LogLeadership(ILogger logger, string nodeId, RaftRole role, long term);
}
