using Vellum.Consensus.Messages;
using Vellum.Core;

namespace Vellum.Consensus;

/// <summary>
/// One participant in Raft with CCF's commit rule, as a pure state machine: the host feeds it
/// ticks, messages, proposals and durability reports; it reads and changes the log through
/// <see cref="IRaftLog"/>, saves its vote through <see cref="IHardStateStore"/>, and leaves
/// messages in an outbox for the host to send. It reads no clock, socket or global random.
/// </summary>
/// <remarks>
/// Terms are the ledger's views. Only signature entries are committable: the leader commits the
/// last signature of its own term that a majority of voters hold durably, and with it everything
/// before. Votes compare the last committable entry, and unsigned suffixes are rolled back when
/// the term changes. Elections use pre-vote and leaders step down without a majority's contact
/// (check-quorum). Membership changes move one voter at a time (see docs/consensus.md).
/// Not thread-safe: the host calls it from one thread at a time.
/// </remarks>
public sealed partial class RaftNode
{
    private readonly RaftOptions _options;
    private readonly IRaftLog _log;
    private readonly IHardStateStore _store;
    private readonly Random _random;
    private readonly ClusterConfiguration _bootstrapConfiguration;
    private readonly List<RaftMessage> _outbox = [];
    private long _term;
    private NodeId? _votedFor;
    private long _commitIndex;
    private ClusterConfiguration _configuration;
    private long _configurationIndex;
    private int _electionElapsedTicks;
    private int _randomizedElectionTimeoutTicks;

    /// <summary>Creates a participant over its durable log and state, as a follower.</summary>
    /// <param name="id">This node's id.</param>
    /// <param name="bootstrapConfiguration">The membership to assume while the log holds no configuration entry: the founding node's own, or <see cref="ClusterConfiguration.Empty"/> for a joining node.</param>
    /// <param name="log">The log.</param>
    /// <param name="store">Where the term and vote are kept.</param>
    /// <param name="random">The source of election jitter; seeded in simulation.</param>
    /// <param name="options">Timing and bounds.</param>
    public RaftNode(NodeId id, ClusterConfiguration bootstrapConfiguration, IRaftLog log, IHardStateStore store, Random random, RaftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bootstrapConfiguration);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(random);
        _options = options ?? new RaftOptions();
        _options.Validate();
        Id = id;
        _log = log;
        _store = store;
        _random = random;
        _bootstrapConfiguration = bootstrapConfiguration;
        var state = store.Load();
        _term = state.Term;
        _votedFor = state.VotedFor;
        Invariant.Check(_log.TermAt(_log.LastIndex) <= _term || _term == 0, "the log holds no entry from a term later than the saved term");
        _term = Math.Max(_term, _log.TermAt(_log.LastIndex));
        (_configurationIndex, _configuration) = ConfigurationAt(_log.LastIndex);
        ResetElectionTimer();
    }

    /// <summary>This node's id.</summary>
    public NodeId Id { get; }

    /// <summary>The part this node plays in its current term.</summary>
    public RaftRole Role { get; private set; } = RaftRole.Follower;

    /// <summary>The current term, which is the view of entries proposed in it.</summary>
    public long Term => _term;

    /// <summary>The leader of the current term, when this node knows it.</summary>
    public NodeId? LeaderId { get; private set; }

    /// <summary>The last committed index as this node knows it; always a signature entry's index, and never decreasing.</summary>
    public long CommitIndex => _commitIndex;

    /// <summary>The membership in effect: that of the last configuration entry in the log, committed or not.</summary>
    public ClusterConfiguration Configuration => _configuration;

    /// <summary>The index of the last configuration entry in the log, or 0 when the bootstrap membership applies.</summary>
    public long ConfigurationIndex => _configurationIndex;

    /// <summary>
    /// Whether this node, as leader, owes a signature: a new leader signs first in its term, so
    /// that the entries it inherited can commit. The host proposes one and the flag clears.
    /// </summary>
    public bool NeedsSignature { get; private set; }

    /// <summary>The index of the last entry in the log.</summary>
    public long LastIndex => _log.LastIndex;

    /// <summary>
    /// Takes up commit knowledge this node saved before it stopped, so that a restarted node
    /// reports committed what it reported before, not nothing until a leader tells it. Only what
    /// survived in the log durably counts, up to its last signature there: an index once committed
    /// stays committed, and the entries up to it that this node held were the committed ones.
    /// </summary>
    /// <param name="savedCommitIndex">A commit index this node knew, or less.</param>
    public void RestoreCommitIndex(long savedCommitIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(savedCommitIndex);
        var restored = _log.LastSignatureAtOrBefore(Math.Min(savedCommitIndex, _log.DurableIndex));
        _commitIndex = Math.Max(_commitIndex, restored);
    }

    /// <summary>Moves the messages produced so far into <paramref name="destination"/>, in order.</summary>
    public void TakeMessages(ICollection<RaftMessage> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var message in _outbox)
        {
            destination.Add(message);
        }

        _outbox.Clear();
    }

    /// <summary>Advances time by one tick: followers may campaign, leaders send heartbeats and check their quorum.</summary>
    public void Tick()
    {
        _electionElapsedTicks++;
        if (Role == RaftRole.Leader)
        {
            TickAsLeader();
            return;
        }

        if (_electionElapsedTicks >= _randomizedElectionTimeoutTicks)
        {
            ResetElectionTimer();
            if (CampaignConfiguration.IsVoter(Id))
            {
                StartPreVote();
            }
        }
    }

    /// <summary>
    /// Starts campaigning now, as a voter that knows no leader would after its timeout; the
    /// founding node of a one-node cluster uses it to start at once. A node that would not be a
    /// voter once its unsigned entries are rolled back does not campaign.
    /// </summary>
    public void Campaign()
    {
        if (Role != RaftRole.Leader && CampaignConfiguration.IsVoter(Id))
        {
            StartPreVote();
        }
    }

    /// <summary>Handles one message addressed to this node.</summary>
    /// <exception cref="ArgumentException">The message is addressed to another node.</exception>
    public void Receive(RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.To != Id)
        {
            throw new ArgumentException($"Message for {message.To} delivered to {Id}.", nameof(message));
        }

        switch (message)
        {
            case PreVoteRequest request:
                HandlePreVoteRequest(request);
                break;
            case PreVoteResponse response:
                HandlePreVoteResponse(response);
                break;
            case VoteRequest request:
                HandleVoteRequest(request);
                break;
            case VoteResponse response:
                HandleVoteResponse(response);
                break;
            case AppendEntriesRequest request:
                HandleAppendEntries(request);
                break;
            case AppendEntriesResponse response:
                HandleAppendEntriesResponse(response);
                break;
            default:
                throw new ArgumentException($"Unknown message type {message.GetType().Name}.", nameof(message));
        }
    }

    /// <summary>
    /// Tells consensus that <see cref="IRaftLog.DurableIndex"/> has grown: a leader may commit,
    /// a follower acknowledges what now counts towards commit.
    /// </summary>
    public void LogDurabilityAdvanced()
    {
        if (Role == RaftRole.Leader)
        {
            AdvanceLeaderCommit();
        }
        else
        {
            AcknowledgeDurability();
        }
    }

    /// <summary>
    /// The status of transaction <paramref name="view"/>.<paramref name="seqno"/> on this node, by
    /// CCF's rule: committed or invalid once its seqno is committed, depending on whether the
    /// committed entry has its view; pending while it is in the log; invalid once a later view has
    /// committed; unknown otherwise.
    /// </summary>
    public CommitStatus StatusOf(long view, long seqno)
    {
        if (view < 1 || seqno < 1)
        {
            return CommitStatus.Invalid;
        }

        if (seqno <= _commitIndex)
        {
            return _log.TermAt(seqno) == view ? CommitStatus.Committed : CommitStatus.Invalid;
        }

        if (seqno <= _log.LastIndex && _log.TermAt(seqno) == view)
        {
            return CommitStatus.Pending;
        }

        return _log.TermAt(_commitIndex) > view ? CommitStatus.Invalid : CommitStatus.Unknown;
    }

    private (long Index, ClusterConfiguration Configuration) ConfigurationAt(long index) =>
        _log.LastConfigurationAtOrBefore(index) ?? (0, _bootstrapConfiguration);

    private void ResetElectionTimer()
    {
        _electionElapsedTicks = 0;
        _randomizedElectionTimeoutTicks = _options.ElectionTimeoutTicks + _random.Next(_options.ElectionTimeoutTicks);
    }

    private void Send(RaftMessage message)
    {
        Invariant.Check(message.To != Id, "a node never sends to itself");
        _outbox.Add(message);
    }

    private void SaveHardState() => _store.Save(new HardState(_term, _votedFor));

    /// <summary>Leaves the current role for a follower's, moving to <paramref name="term"/> if it is later.</summary>
    private void BecomeFollower(long term, NodeId? leader)
    {
        Invariant.Check(term >= _term, "terms never go back");
        if (term > _term)
        {
            _term = term;
            _votedFor = null;
            SaveHardState();
            RollBackToLastCommittable();
            _lastVerifiedIndex = _commitIndex;
        }

        // Nothing has been reported to this leader yet, even in a term where this node already
        // reported to another (before campaigning itself, say).
        _lastAcknowledgedDurableIndex = 0;
        Role = RaftRole.Follower;
        LeaderId = leader;
        NeedsSignature = false;
        _votes.Clear();
        _progress.Clear();
        _departing = [];
        ResetElectionTimer();
    }

    /// <summary>
    /// Drops the unsigned suffix of the log: nothing after the last signature can commit in a
    /// later term, so it is invalid from the moment the term changes.
    /// </summary>
    private void RollBackToLastCommittable()
    {
        var lastCommittable = _log.LastSignatureAtOrBefore(_log.LastIndex);
        Invariant.Check(lastCommittable >= _commitIndex, "the commit index is always a signature in the log");
        if (lastCommittable < _log.LastIndex)
        {
            Truncate(lastCommittable);
        }
    }

    private void Truncate(long index)
    {
        Invariant.Check(index >= _commitIndex, "committed entries are never truncated");
        _log.TruncateAfter(index);
        Invariant.Check(_log.LastIndex == index, "the log truncated to the index asked");
        if (_configurationIndex > index)
        {
            (_configurationIndex, _configuration) = ConfigurationAt(index);
        }

        _lastVerifiedIndex = Math.Min(_lastVerifiedIndex, index);
        _committable.RemoveAll(seqno => seqno > index);
    }

    private void Appended(long index, ReplicatedEntry entry)
    {
        Invariant.Check(_log.LastIndex == index, "the log appended at the index expected");
        if (entry.Kind == LogEntryKind.Configuration)
        {
            _configuration = entry.Configuration!;
            _configurationIndex = index;
            if (Role == RaftRole.Leader)
            {
                TrackMembers();
            }
        }
        else if (entry.Kind == LogEntryKind.Signature && Role == RaftRole.Leader)
        {
            _committable.Add(index);
        }
    }

    private (long Index, long Term) LastCommittable()
    {
        var index = _log.LastSignatureAtOrBefore(_log.LastIndex);
        return (index, _log.TermAt(index));
    }

    /// <summary>The last index at or before <paramref name="atOrBefore"/> whose term is at most <paramref name="term"/>; terms grow along the log, so a binary search finds it.</summary>
    private long LastIndexWithTermAtMost(long atOrBefore, long term)
    {
        long low = 0, high = Math.Min(atOrBefore, _log.LastIndex);
        while (low < high)
        {
            var middle = high - ((high - low) / 2);
            if (_log.TermAt(middle) <= term)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }
}
