using System.Globalization;
using System.Text;
using Vellum.Node.Sequencing;
using Vellum.Node.Setup;

namespace Vellum.Node.Replication;

/// <summary>
/// Saves the commit index in <c>commit_point.json</c> as it advances, at most once per interval
/// and once more when the node stops, off the write path. Without it a restarted node would
/// report nothing committed until a primary told it; with it, it reports at once what it knew
/// at its last save. A lost save only costs freshness: the primary tells the rest.
/// </summary>
internal sealed class CommitPointKeeper : IAsyncDisposable
{
    private readonly DataDirectory _directory;
    private readonly CommitTracker _commits;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Action<Exception> _fail;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _saving;
    private long _saved;
    private bool _faulted;

    private CommitPointKeeper(DataDirectory directory, CommitTracker commits, TimeSpan interval, TimeProvider time, Action<Exception> fail)
    {
        _directory = directory;
        _commits = commits;
        _interval = interval;
        _time = time;
        _fail = fail;
        _saved = commits.Committed.Seqno;
        _saving = Task.Run(SaveAsItAdvancesAsync);
    }

    /// <summary>The commit index saved in <paramref name="directory"/>, or 0 when none was.</summary>
    /// <exception cref="NodeStartException">The file is damaged.</exception>
    public static long Load(DataDirectory directory)
    {
        if (!File.Exists(directory.CommitPoint))
        {
            return 0;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(directory.CommitPoint));
            var seqno = document.RootElement.GetProperty("committedSeqno").GetInt64();
            return seqno >= 0 ? seqno : throw new FormatException("the committed seqno is negative");
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new NodeStartException($"{directory.CommitPoint} is damaged: {exception.Message}", exception);
        }
    }

    /// <summary>Starts saving the commit index of <paramref name="commits"/> as it advances.</summary>
    public static CommitPointKeeper Start(DataDirectory directory, CommitTracker commits, TimeSpan interval, TimeProvider time, Action<Exception> fail) =>
        new(directory, commits, interval, time, fail);

    private async Task SaveAsItAdvancesAsync()
    {
        try
        {
            while (true)
            {
                await _commits.WaitCommittedAsync(_saved + 1, _stopping.Token);
                Save();
                await Task.Delay(_interval, _time, _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed save, like a failed ledger, must fault the node visibly.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // Either the save failed, or the node faulted and failed every commit waiter; faulting
            // it again changes nothing, and nothing is saved from now on.
            _faulted = true;
            _fail(exception);
        }
    }

    private void Save()
    {
        var seqno = _commits.Committed.Seqno;
        if (seqno <= _saved)
        {
            return;
        }

        _directory.WritePublic(_directory.CommitPoint, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"committedSeqno\":{seqno}}}")));
        _saved = seqno;
    }

    /// <summary>Stops, saving the commit index once more if it advanced since the last save.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _saving;
        if (!_faulted)
        {
            Save();
        }

        _stopping.Dispose();
    }
}
