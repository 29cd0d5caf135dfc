using Microsoft.Extensions.Logging;
using Vellum.Consensus;
using Vellum.Core;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;

namespace Vellum.Node.Cluster;

/// <summary>
/// The primary's side of membership: admits joining nodes as learners, promotes each learner to
/// voter once it holds the committed log durably, and retires nodes. Every change is a membership
/// record written through the sequencer and waited for until committed; changes go one at a time,
/// as consensus requires (see docs/consensus.md).
/// </summary>
internal sealed partial class ClusterAdmission : IAsyncDisposable
{
    private readonly Replica _replica;
    private readonly Sequencer _sequencer;
    private readonly ClusterMember _self;
    private readonly Membership _bootstrap;
    private readonly TimeSpan _checkInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _promoter;
    private readonly Func<IReadOnlyCollection<string>> _retiredByGovernance;

    /// <param name="replica">This node's seat in consensus.</param>
    /// <param name="sequencer">Where membership records are written.</param>
    /// <param name="self">This node as the membership records it.</param>
    /// <param name="founder">Whether this node founded the ledger: until the log records a membership, it is then the only voter; a joined node knows no member until then.</param>
    /// <param name="retiredByGovernance">The nodes accepted governance proposals retired; the primary removes each that is still a member.</param>
    /// <param name="checkInterval">How often to look for a learner to promote or a node to retire.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where changes are logged.</param>
    public ClusterAdmission(Replica replica, Sequencer sequencer, ClusterMember self, bool founder, Func<IReadOnlyCollection<string>> retiredByGovernance, TimeSpan checkInterval, TimeProvider time, ILogger logger)
    {
        _retiredByGovernance = retiredByGovernance;
        _replica = replica;
        _sequencer = sequencer;
        _self = self;
        _bootstrap = founder ? new Membership([self], []) : new Membership([], []);
        _checkInterval = checkInterval;
        _time = time;
        _logger = logger;
        _promoter = Task.Run(PromoteLearnersAsync);
    }

    /// <summary>The membership as this node knows it: the log's last record (committed or not), or before the first record, the founder alone.</summary>
    public Membership Current => _replica.Membership ?? _bootstrap;

    /// <summary>Adds <paramref name="member"/> as a learner (first recording this primary as the founding voter if the log names no member yet); completes once committed.</summary>
    /// <exception cref="NotPrimaryException">This node is not the primary.</exception>
    public Task AdmitAsync(ClusterMember member, CancellationToken cancellationToken) =>
        ChangeAsync(current => current.Find(member.Id) is { } existing && existing == member ? null : current.WithLearner(member), cancellationToken);

    /// <summary>
    /// Removes <paramref name="node"/> from the cluster, voter or learner, and completes once the
    /// removal is committed. The last voter is never removed: consensus needs one, and the
    /// change would wait for ever. A primary that removes itself steps down once the removal commits.
    /// </summary>
    /// <exception cref="NotPrimaryException">This node is not the primary.</exception>
    public async Task<RetireResult> RetireAsync(NodeId node, CancellationToken cancellationToken)
    {
        var outcome = RetireOutcome.NotAMember;
        var change = await ChangeAsync(
            current =>
            {
                outcome = current.Find(node) is null ? RetireOutcome.NotAMember
                    : current.Voters is [var last] && last.Id == node ? RetireOutcome.LastVoter
                    : RetireOutcome.Retired;
                return outcome == RetireOutcome.Retired ? current.Without(node) : null;
            },
            cancellationToken);
        return new RetireResult(outcome, change);
    }

    /// <summary>Applies <paramref name="change"/> to the current membership under the change lock; returns the committed record's id, or null when there was nothing to change.</summary>
    private async Task<TransactionId?> ChangeAsync(Func<Membership, Membership?> change, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            var recorded = _replica.Membership;
            if (change(recorded ?? _bootstrap) is not { } next)
            {
                return null;
            }

            if (recorded is null)
            {
                // The founder has run alone on its bootstrap membership; record it before changing it.
                await RecordAsync(_bootstrap, cancellationToken);
            }

            return await RecordAsync(next, cancellationToken);
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task<TransactionId> RecordAsync(Membership next, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_replica.IsLeader)
            {
                throw new NotPrimaryException(_replica.LeaderApiAddress);
            }

            try
            {
                var id = await _sequencer.AppendAsync(Membership.Collection, [], System.Text.Encoding.UTF8.GetBytes(next.ToJson()), cancellationToken);
                await _sequencer.Commits.WaitCommittedAsync(id.Seqno, cancellationToken);
                if (_replica.StatusOf(id) == CommitStatus.Committed)
                {
                    LogMembership(_logger, next);
                    return id;
                }
            }
            catch (ArgumentException)
            {
                // Consensus refused the change for now: the previous one, or this primary's first
                // signature, has not committed yet. Wait for commit to move, then try again.
                await _sequencer.Commits.WaitCommittedAsync(_replica.CommitIndex + 1, cancellationToken).WaitAsync(_checkInterval, _time, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task PromoteLearnersAsync()
    {
        using var timer = new PeriodicTimer(_checkInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await PromoteCaughtUpLearnerAsync();
                    await RetireWhatGovernanceRetiredAsync();
                }
                catch (Exception exception) when (exception is NotPrimaryException or NodeUnavailableException)
                {
                    // Deposed or stopping: whoever is primary next promotes.
                    LogPromotionPaused(_logger, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task PromoteCaughtUpLearnerAsync()
    {
        if (!_replica.IsLeader || _replica.Membership is not { Learners.Count: > 0 } membership)
        {
            return;
        }

        var commit = _replica.CommitIndex;
        if (membership.Learners.FirstOrDefault(learner => _replica.DurableIndexOf(learner.Id) >= commit) is { } caughtUp)
        {
            await ChangeAsync(current => current.Learners.Any(learner => learner.Id == caughtUp.Id) ? current.WithVoter(caughtUp.Id) : null, _stopping.Token);
        }
    }

    // Governance decides; the primary of the moment carries it out, one removal at a time, so a
    // decision taken just before a change of primary is carried out by the next one.
    private async Task RetireWhatGovernanceRetiredAsync()
    {
        if (!_replica.IsLeader || _replica.Membership is not { } membership)
        {
            return;
        }

        if (_retiredByGovernance().FirstOrDefault(id => membership.Find(new NodeId(id)) is not null) is { } node)
        {
            var result = await RetireAsync(new NodeId(node), _stopping.Token);
            LogRetiredByGovernance(_logger, node, result.Outcome);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _promoter;
        _stopping.Dispose();
        _changes.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Membership committed: {Membership}.")]
    private static partial void LogMembership(ILogger logger, Membership membership);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId}, retired by the consortium: {Outcome}.")]
    private static partial void LogRetiredByGovernance(ILogger logger, string nodeId, RetireOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learner promotion paused: {Reason}")]
    private static partial void LogPromotionPaused(ILogger logger, string reason);
}
