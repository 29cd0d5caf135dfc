using Microsoft.Extensions.Logging;
using Vellum.Consensus;
using Vellum.Storage;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Replication;

/// <summary>
/// The replica's view of membership: the record the log holds last, the peers this node must
/// reach (the members, as leader the departing nodes it still informs, as follower its leader),
/// and whether this node has been retired.
/// </summary>
internal sealed partial class Replica
{
    private static readonly IndexKey MembershipKey = IndexKey.Collection(Membership.Collection);

    /// <summary>Every member seen in a record since start, so that a departing node's peer address is still known once the membership leaves it out.</summary>
    private readonly Dictionary<NodeId, ClusterMember> _known = [];
    private readonly NodeId _self;
    private Membership? _membership;
    private IReadOnlyList<NodeId> _publishedDeparting = [];
    private NodeId? _publishedLeader;
    private bool _peersChanged;
    private bool _wasMember;
    private volatile bool _retired;

    /// <summary>Raised, under the replica's lock, when the nodes this one must reach change; handlers must be quick.</summary>
    public event Action<IReadOnlyList<ClusterMember>>? PeersChanged;

    /// <summary>The membership the log records last (committed or not), or null before the first record.</summary>
    public Membership? Membership => Volatile.Read(ref _membership);

    /// <summary>The nodes this one must reach now: every member, as leader the departing nodes it still sends the log to, and as follower its leader.</summary>
    public IReadOnlyList<ClusterMember> Peers
    {
        get
        {
            lock (_gate)
            {
                return CurrentPeers();
            }
        }
    }

    /// <summary>
    /// Whether this node has been retired: it was a member, and a committed membership no longer
    /// lists it. At start, before it can know the commit index, the membership at its log's last
    /// signature decides, which is also what stops it campaigning. A membership that lists it
    /// again (a removal that never committed, rolled back by a new primary) clears it.
    /// </summary>
    public bool IsRetired => _retired;

    private void LoadMembershipAtStart()
    {
        _membership = LoadMembership(_ledger.LastSeqno);
        _wasMember = RememberHistory();
        var signed = LoadMembership(_ledger.LastSignatureAtOrBefore(_ledger.LastSeqno));
        _retired = _wasMember && _membership?.Find(_self) is null && signed?.Find(_self) is null;
        if (_retired)
        {
            LogRetiredAtStart(_logger, _self.Value);
        }
    }

    /// <summary>Takes a membership the log now ends with (appended, or left last by a truncation); under the lock.</summary>
    private void MembershipRecorded(Membership? membership)
    {
        Volatile.Write(ref _membership, membership);
        Remember(membership);
        _peersChanged = true;
        if (membership?.Find(_self) is not null)
        {
            _wasMember = true;
            _retired = false;
        }
    }

    /// <summary>Raises <see cref="PeersChanged"/> if the membership, the departing nodes or the leader changed; under the lock, once consensus has finished its step.</summary>
    private void PublishPeers()
    {
        var departing = _raft.DepartingNodes;
        var leader = _raft.LeaderId;
        if (!_peersChanged && ReferenceEquals(departing, _publishedDeparting) && leader == _publishedLeader)
        {
            return;
        }

        _peersChanged = false;
        _publishedDeparting = departing;
        _publishedLeader = leader;
        PeersChanged?.Invoke(CurrentPeers());
    }

    /// <summary>Whether this step made the node retired: the committed configuration no longer lists a node that was a member; under the lock.</summary>
    private bool NoticeRetirement()
    {
        if (_retired || !_wasMember)
        {
            return false;
        }

        var configurationIndex = _raft.ConfigurationIndex;
        if (configurationIndex == 0 || configurationIndex > _raft.CommitIndex || _raft.Configuration.Contains(_raft.Id))
        {
            return false;
        }

        _retired = true;
        return true;
    }

    /// <summary>
    /// The members, the departing nodes a leader still sends the log to, and the leader a
    /// follower answers. The leader may have left the membership: a primary that retires itself
    /// leads until its removal commits, which its followers' answers decide.
    /// </summary>
    private List<ClusterMember> CurrentPeers()
    {
        var peers = Membership?.Members.ToList() ?? [];
        foreach (var node in _raft.LeaderId is { } leader ? _raft.DepartingNodes.Append(leader) : _raft.DepartingNodes)
        {
            if (_known.TryGetValue(node, out var member) && !peers.Exists(peer => peer.Id == node))
            {
                peers.Add(member);
            }
        }

        return peers;
    }

    private void Remember(Membership? membership)
    {
        foreach (var member in membership?.Members ?? [])
        {
            _known[member.Id] = member;
        }
    }

    /// <summary>
    /// Learns every node the log's membership records name, newest address first, since a node
    /// removed long ago may still ask for a pre-vote, and a primary then sends it the log; returns
    /// whether any record lists this node. There are two records per joined node, so reading them
    /// all at start is cheap.
    /// </summary>
    private bool RememberHistory()
    {
        var wasMember = false;
        for (var seqno = _ledger.FindLastByKey(MembershipKey, _ledger.LastSeqno); seqno is { } found; seqno = found > 1 ? _ledger.FindLastByKey(MembershipKey, found - 1) : null)
        {
            foreach (var member in ReplicatedEntries.ReadMembership(_ledger.ReadEntry(found))?.Members ?? [])
            {
                _known.TryAdd(member.Id, member);
                wasMember |= member.Id == _self;
            }
        }

        return wasMember;
    }

    // Membership records at or below the log's configuration floor belong to a service lost before a recovery.
    private Membership? LoadMembership(long atOrBefore) =>
        _ledger.FindLastByKey(MembershipKey, atOrBefore) is { } seqno && seqno > _configurationFloor
            ? ReplicatedEntries.ReadMembership(_ledger.ReadEntry(seqno))
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} has been retired: the committed membership no longer lists it. It takes no part in consensus and accepts no writes; stop it.")]
    private static partial void LogRetired(ILogger logger, string nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} was retired from the cluster: the membership in its log no longer lists it. It takes no part in consensus and accepts no writes; to add a node, join a new one.")]
    private static partial void LogRetiredAtStart(ILogger logger, string nodeId);
}
