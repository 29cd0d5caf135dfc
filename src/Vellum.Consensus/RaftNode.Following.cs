using Vellum.Consensus.Messages;
using Vellum.Core;

namespace Vellum.Consensus;

/// <summary>The follower's side: log matching, appending, commit learned from the leader, durable acknowledgements.</summary>
public sealed partial class RaftNode
{
    /// <summary>The last index known to match the current leader's log (at least the commit index).</summary>
    private long _lastVerifiedIndex;

    /// <summary>The durable index last reported to the current leader, so that a durability report is sent only when it says something new.</summary>
    private long _lastAcknowledgedDurableIndex;

    private void HandleAppendEntries(AppendEntriesRequest request)
    {
        if (request.Term < _term)
        {
            // A deposed leader: the answer's term tells it to step down.
            Send(new AppendEntriesResponse(Id, request.From, _term, false, request.PrevIndex, 0));
            return;
        }

        Invariant.Check(!(Role == RaftRole.Leader && request.Term == _term), "one leader per term");
        if (request.Term > _term || Role != RaftRole.Follower || LeaderId != request.From)
        {
            BecomeFollower(request.Term, request.From);
        }

        _electionElapsedTicks = 0;
        if (request.PrevIndex > _log.LastIndex)
        {
            var last = _log.LastIndex;
            Reject(request, last, _log.TermAt(last));
            return;
        }

        if (_log.TermAt(request.PrevIndex) != request.PrevTerm)
        {
            var hint = LastIndexWithTermAtMost(request.PrevIndex, request.PrevTerm);
            Reject(request, hint, _log.TermAt(hint));
            return;
        }

        AppendFrom(request.PrevIndex, request.Entries);
        _lastVerifiedIndex = Math.Max(_lastVerifiedIndex, request.LastIndex);
        Invariant.Check(_lastVerifiedIndex <= _log.LastIndex, "verified entries are in the log");

        // Commit only at a signature this node holds, so that a later rollback to the last
        // signature can never remove an entry this node has reported committed.
        var commit = _log.LastSignatureAtOrBefore(Math.Min(request.LeaderCommit, _lastVerifiedIndex));
        if (commit > _commitIndex)
        {
            _commitIndex = commit;
        }

        var durable = DurableMatchIndex();
        _lastAcknowledgedDurableIndex = Math.Max(_lastAcknowledgedDurableIndex, durable);
        Send(new AppendEntriesResponse(Id, request.From, _term, true, _lastVerifiedIndex, durable));
    }

    private void AppendFrom(long previousIndex, IReadOnlyList<ReplicatedEntry> entries)
    {
        var index = previousIndex;
        foreach (var entry in entries)
        {
            index++;
            if (index <= _log.LastIndex)
            {
                if (_log.TermAt(index) == entry.Term)
                {
                    continue;
                }

                Truncate(index - 1);
            }

            entry.Validate();
            _log.Append(entry);
            Appended(index, entry);
        }
    }

    private void Reject(AppendEntriesRequest request, long hintIndex, long hintTerm) =>
        Send(new AppendEntriesResponse(Id, request.From, _term, false, request.PrevIndex, DurableMatchIndex(), hintIndex, hintTerm));

    private long DurableMatchIndex() => Math.Min(_log.DurableIndex, _lastVerifiedIndex);

    private void AcknowledgeDurability()
    {
        if (Role != RaftRole.Follower || LeaderId is not { } leader)
        {
            return;
        }

        var durable = DurableMatchIndex();
        if (durable > _lastAcknowledgedDurableIndex)
        {
            _lastAcknowledgedDurableIndex = durable;
            Send(new AppendEntriesResponse(Id, leader, _term, true, _lastVerifiedIndex, durable));
        }
    }
}
