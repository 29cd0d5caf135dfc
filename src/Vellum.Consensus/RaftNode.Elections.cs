using Vellum.Consensus.Messages;
using Vellum.Core;

namespace Vellum.Consensus;

/// <summary>Pre-vote, elections and becoming leader.</summary>
public sealed partial class RaftNode
{
    private readonly HashSet<NodeId> _votes = [];

    /// <summary>
    /// Whether this node has heard from a live leader within an election timeout (or is the
    /// leader): it then refuses to help anyone unseat that leader.
    /// </summary>
    private bool InLeaderLease =>
        Role == RaftRole.Leader || (LeaderId is not null && _electionElapsedTicks < _options.ElectionTimeoutTicks);

    /// <summary>
    /// The membership a campaign runs under. Entries after the last signature are rolled back as
    /// soon as the term changes, so a configuration among them (a promotion not yet signed, say)
    /// would be gone by the time the votes are counted: it neither makes this node a voter nor
    /// decides whom to ask.
    /// </summary>
    private ClusterConfiguration CampaignConfiguration =>
        ConfigurationAt(_log.LastSignatureAtOrBefore(_log.LastIndex)).Configuration;

    private void StartPreVote()
    {
        var configuration = CampaignConfiguration;
        Invariant.Check(configuration.IsVoter(Id), "only a voter campaigns");
        Role = RaftRole.PreCandidate;
        LeaderId = null;
        _votes.Clear();
        _votes.Add(Id);
        ResetElectionTimer();
        if (HasQuorum(_votes, configuration))
        {
            StartElection();
            return;
        }

        var (index, term) = LastCommittable();
        foreach (var voter in configuration.Voters)
        {
            if (voter != Id)
            {
                Send(new PreVoteRequest(Id, voter, _term + 1, index, term));
            }
        }
    }

    private void StartElection()
    {
        _term++;
        _votedFor = Id;
        SaveHardState();
        RollBackToLastCommittable();
        Invariant.Check(_configuration.IsVoter(Id), "a candidate is a voter of the configuration its rollback kept");
        _lastVerifiedIndex = _commitIndex;
        Role = RaftRole.Candidate;
        LeaderId = null;
        _votes.Clear();
        _votes.Add(Id);
        ResetElectionTimer();
        if (HasQuorum(_votes, _configuration))
        {
            BecomeLeader();
            return;
        }

        var (index, term) = LastCommittable();
        foreach (var voter in _configuration.Voters)
        {
            if (voter != Id)
            {
                Send(new VoteRequest(Id, voter, _term, index, term));
            }
        }
    }

    private static bool HasQuorum(IReadOnlySet<NodeId> granted, ClusterConfiguration configuration) =>
        configuration.Voters.Count(granted.Contains) >= configuration.Quorum;

    private bool IsUpToDate(long lastCommittableIndex, long lastCommittableTerm)
    {
        var (index, term) = LastCommittable();
        return lastCommittableTerm > term || (lastCommittableTerm == term && lastCommittableIndex >= index);
    }

    private void HandlePreVoteRequest(PreVoteRequest request)
    {
        if (Role == RaftRole.Leader && !_configuration.Contains(request.From))
        {
            // Only a removed node that never learned of its removal asks while not a member (it
            // was stopped or cut off meanwhile): send it the log so that it learns it.
            InformDeparted(request.From);
        }

        var granted = request.Term > _term
            && !InLeaderLease
            && IsUpToDate(request.LastCommittableIndex, request.LastCommittableTerm);
        Send(new PreVoteResponse(Id, request.From, granted ? request.Term : _term, granted));
    }

    private void HandlePreVoteResponse(PreVoteResponse response)
    {
        if (!response.Granted)
        {
            if (response.Term > _term)
            {
                BecomeFollower(response.Term, null);
            }

            return;
        }

        if (Role != RaftRole.PreCandidate || response.Term != _term + 1)
        {
            return;
        }

        _votes.Add(response.From);
        if (HasQuorum(_votes, CampaignConfiguration))
        {
            StartElection();
        }
    }

    private void HandleVoteRequest(VoteRequest request)
    {
        if (request.Term > _term)
        {
            if (InLeaderLease)
            {
                // A node that cannot hear the leader must not depose it: ignore it until the
                // leader's lease runs out here too (check-quorum's companion rule).
                return;
            }

            BecomeFollower(request.Term, null);
        }

        var granted = request.Term == _term
            && (_votedFor is null || _votedFor == request.From)
            && LeaderId is null
            && IsUpToDate(request.LastCommittableIndex, request.LastCommittableTerm);
        if (granted)
        {
            _votedFor = request.From;
            SaveHardState();
            ResetElectionTimer();
        }

        Send(new VoteResponse(Id, request.From, _term, granted));
    }

    private void HandleVoteResponse(VoteResponse response)
    {
        if (response.Term > _term)
        {
            BecomeFollower(response.Term, null);
            return;
        }

        if (Role != RaftRole.Candidate || response.Term != _term || !response.Granted)
        {
            return;
        }

        _votes.Add(response.From);
        if (HasQuorum(_votes, _configuration))
        {
            BecomeLeader();
        }
    }

    private void BecomeLeader()
    {
        Role = RaftRole.Leader;
        LeaderId = Id;
        _votes.Clear();
        _committable.Clear();
        _progress.Clear();
        RollBackToLastCommittable();
        NeedsSignature = true;
        _electionElapsedTicks = 0;
        _heartbeatElapsedTicks = 0;
        TrackMembers();
        InformRemovedByInheritedChange();
        BroadcastAppend(heartbeat: true);
    }

    /// <summary>
    /// A change this leader inherited uncommitted may have removed nodes, its predecessor among
    /// them, that cannot learn whether it committed from anyone else: they are departing here.
    /// </summary>
    private void InformRemovedByInheritedChange()
    {
        if (_configurationIndex <= _commitIndex)
        {
            return;
        }

        foreach (var node in ConfigurationAt(_configurationIndex - 1).Configuration.Members)
        {
            if (node != Id && !_configuration.Contains(node))
            {
                InformDeparted(node);
            }
        }
    }
}
