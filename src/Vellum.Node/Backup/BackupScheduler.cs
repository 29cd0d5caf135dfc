using Microsoft.Extensions.Logging;
using Vellum.Node.Sequencing;

namespace Vellum.Node.Backup;

/// <summary>
/// The node's scheduled backup (<see cref="NodeOptions.BackupDirectory"/>): once at start and then
/// once per interval, a background task runs <see cref="LedgerBackup.RunAsync"/> up to the node's
/// commit index, off the write path; the first run after a start rechecks every chunk's copy. A failed run is logged and retried at the next interval;
/// it does not stop the node. The latest run's outcome is kept for <c>/node/state</c>.
/// </summary>
internal sealed partial class BackupScheduler : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string _backupDirectory;
    private readonly CommitTracker _commits;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _running;
    private readonly Lock _gate = new();
    private TaskCompletionSource _nextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _coveredSeqno;
    private BackupOutcome? _lastOutcome;

    private BackupScheduler(string dataDirectory, string backupDirectory, CommitTracker commits, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _dataDirectory = dataDirectory;
        _backupDirectory = backupDirectory;
        _commits = commits;
        _interval = interval;
        _time = time;
        _logger = logger;
        _running = Task.Run(RunAsync);
    }

    /// <summary>Starts backing up <paramref name="dataDirectory"/> into <paramref name="backupDirectory"/> every <paramref name="interval"/>.</summary>
    public static BackupScheduler Start(string dataDirectory, string backupDirectory, CommitTracker commits, TimeSpan interval, TimeProvider time, ILogger logger) =>
        new(dataDirectory, backupDirectory, commits, interval, time, logger);

    /// <summary>Completes once a run has finished whose backup holds seqno <paramref name="seqno"/>.</summary>
    public async Task WaitCoveredAsync(long seqno, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (_coveredSeqno >= seqno)
                {
                    return;
                }

                next = _nextRun.Task;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    /// <summary>How the latest run ended; null until the first run has.</summary>
    public BackupOutcome? LastOutcome
    {
        get
        {
            lock (_gate)
            {
                return _lastOutcome;
            }
        }
    }

    /// <summary>Completes with the latest run's outcome once a run has finished.</summary>
    public async Task<BackupOutcome> WaitForRunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (_lastOutcome is { } outcome)
                {
                    return outcome;
                }

                next = _nextRun.Task;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    private async Task RunAsync()
    {
        // The first run after a start rereads every chunk the backup holds, so that a copy
        // damaged in the backup is found and copied again at least once per start.
        var recheck = true;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var result = await LedgerBackup.RunAsync(_dataDirectory, _backupDirectory, _commits.Committed.Seqno, recheck, _stopping.Token);
                recheck = false;
                if (result.Repaired.Count > 0)
                {
                    LogRepaired(_logger, result.Repaired.Count, _backupDirectory, string.Join(", ", result.Repaired));
                }

                if (result.CopiedFiles > 0)
                {
                    LogBackedUp(_logger, result.CopiedFiles, result.CopiedBytes, _backupDirectory, result.Manifest.LastSeqno);
                }

                Completed(new BackupOutcome(_time.GetUtcNow(), result.Manifest.LastSeqno, null));
                await Task.Delay(_interval, _time, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is BackupException or IOException or UnauthorizedAccessException)
            {
                LogFailed(_logger, _backupDirectory, exception.Message);
                Completed(new BackupOutcome(_time.GetUtcNow(), null, exception.Message));
                await Task.Delay(_interval, _time, _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Completed(BackupOutcome outcome)
    {
        TaskCompletionSource finished;
        lock (_gate)
        {
            _coveredSeqno = Math.Max(_coveredSeqno, outcome.LastSeqno ?? 0);
            _lastOutcome = outcome;
            finished = _nextRun;
            _nextRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        finished.SetResult();
    }

    /// <summary>Stops the schedule, letting a run in progress stop at its next file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running;
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backed up {Files} file(s), {Bytes} bytes, to {Backup}; it holds seqnos up to {LastSeqno}.")]
    private static partial void LogBackedUp(ILogger logger, int files, long bytes, string backup, long lastSeqno);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} chunk(s) in the backup {Backup} were missing or damaged and were copied again from the data folder: {Chunks}.")]
    private static partial void LogRepaired(ILogger logger, int count, string backup, string chunks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The scheduled backup to {Backup} failed and is retried at the next interval: {Reason}")]
    private static partial void LogFailed(ILogger logger, string backup, string reason);
}
