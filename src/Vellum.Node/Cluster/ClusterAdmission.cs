using Microsoft.Extensions.Logging;
using Vellum.Consensus;
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
    private readonly TimeSpan _checkInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _promoter;

    public ClusterAdmission(Replica replica, Sequencer sequencer, ClusterMember self, TimeSpan checkInterval, TimeProvider time, ILogger logger)
    {
        _replica = replica;
        _sequencer = sequencer;
        _self = self;
        _checkInterval = checkInterval;
        _time = time;
        _logger = logger;
        _promoter = Task.Run(PromoteLearnersAsync);
    }

    /// <summary>Adds <paramref name="member"/> as a learner (first recording this primary as the founding voter if the log names no member yet); completes once committed.</summary>
    /// <exception cref="NotPrimaryException">This node is not the primary.</exception>
    public Task AdmitAsync(ClusterMember member, CancellationToken cancellationToken) =>
        ChangeAsync(current => current.Find(member.Id) is { } existing && existing == member ? null : current.WithLearner(member), cancellationToken);

    /// <summary>Removes <paramref name="node"/> from the cluster; completes once committed.</summary>
    /// <exception cref="NotPrimaryException">This node is not the primary.</exception>
    public Task RetireAsync(NodeId node, CancellationToken cancellationToken) =>
        ChangeAsync(current => current.Find(node) is null ? null : current.Without(node), cancellationToken);

    private async Task ChangeAsync(Func<Membership, Membership?> change, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            var current = _replica.Membership;
            if (current is null)
            {
                // The founder has run alone on its bootstrap membership; record it before changing it.
                current = new Membership([_self], []);
                await RecordAsync(current, cancellationToken);
            }

            if (change(current) is { } next)
            {
                await RecordAsync(next, cancellationToken);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task RecordAsync(Membership next, CancellationToken cancellationToken)
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
                    return;
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

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _promoter;
        _stopping.Dispose();
        _changes.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Membership committed: {Membership}.")]
    private static partial void LogMembership(ILogger logger, Membership membership);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learner promotion paused: {Reason}")]
    private static partial void LogPromotionPaused(ILogger logger, string reason);
}
