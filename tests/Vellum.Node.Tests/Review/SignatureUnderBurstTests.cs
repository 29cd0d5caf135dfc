using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Node.Sequencing;
using Vellum.Node.Tests.Support;
using Vellum.Storage;
using Vellum.Storage.Files;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// Writes that queue up while the disk is slow reach the sequencer as one batch. The signature
/// cadence, and the ledger's bound on unsigned bytes, must hold inside such a batch too.
/// </summary>
public sealed class SignatureUnderBurstTests : IDisposable
{
    private const int QueuedWrites = 12;
    private readonly TemporaryDirectory _directory = new();
    private readonly GatedFileSystem _disk = new(DiskFileSystem.Instance);

    public void Dispose()
    {
        _disk.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task NoMoreEntriesThanTheCadenceAllowsGoUnsignedWhenWritesQueueBehindASlowDisk()
    {
        var cadence = new SignatureCadence { MaxUnsignedEntries = 4 };
        await using var rig = await SequencerRig.OpenAsync(new LedgerOptions { Directory = _directory.Path, FileSystem = _disk, MaxPendingBytes = 1 << 20 }, cadence);

        var writes = await QueueBehindAStalledFlushAsync(rig, contentsBytes: 16);
        var last = default(TransactionId);
        foreach (var write in writes)
        {
            last = await write.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await rig.Sequencer.Commits.WaitCommittedAsync(last.Seqno, CancellationToken.None);
        var longestUnsignedRun = rig.Kinds().Aggregate((Longest: 0, Current: 0), (run, kind) => kind == EntryKind.Signature
            ? (run.Longest, 0)
            : (Math.Max(run.Longest, run.Current + 1), run.Current + 1)).Longest;
        Assert.True(longestUnsignedRun <= cadence.MaxUnsignedEntries, $"{longestUnsignedRun} entries were appended between two signatures; the cadence allows {cadence.MaxUnsignedEntries}.");
    }

    [Fact]
    public async Task ABurstOfWritesLargerThanTheUnsignedChunkLimitIsSignedInTimeAndAllCommit()
    {
        // The node opens its ledger with a 256 MiB limit and a 1 MiB body limit, so about 256
        // maximal writes queued behind one slow fsync hit it; the same at a small scale here.
        var options = new LedgerOptions { Directory = _directory.Path, FileSystem = _disk, MaxPendingBytes = 1 << 20, MaxChunkBytes = 4096, MaxUnsignedChunkBytes = 16 * 1024 };
        var rig = await SequencerRig.OpenAsync(options);
        var writes = await QueueBehindAStalledFlushAsync(rig, contentsBytes: 2048);
        var problems = new List<string>();
        var last = default(TransactionId);
        for (var i = 0; i < writes.Count && problems.Count == 0; i++)
        {
            try
            {
                last = await writes[i].WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (NodeUnavailableException refused)
            {
                problems.Add($"queued write {i} was refused: {refused.Message} ({refused.InnerException?.Message})");
            }
        }

        if (problems.Count == 0)
        {
            await rig.Sequencer.Commits.WaitCommittedAsync(last.Seqno, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        else
        {
            // Bounded: a write still queued behind a dead sequencer loop would wait for ever.
            var stranded = writes.Count(write => !write.IsCompleted);
            var later = rig.AppendAsync("a write after the burst").AsTask();
            await Task.WhenAny(Task.WhenAll(writes.Append(later)), Task.Delay(TimeSpan.FromSeconds(2)));
            problems.Add($"{stranded} queued writes and a later one {(later.IsCompleted ? "completed" : "are still waiting")}: the sequencer {(later.IsCompleted ? "recovered" : "stopped without failing them")}.");
        }

        try
        {
            await rig.DisposeAsync();
        }
        catch (InvalidOperationException loopFailure)
        {
            problems.Add($"the sequencer's loop had died with: {loopFailure.Message}");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// Stalls the disk, appends one write large enough to fill the ledger's write-behind buffer
    /// (so the sequencer waits for room), queues <see cref="QueuedWrites"/> more while it waits,
    /// and lets the disk go: the queued writes reach the sequencer together.
    /// </summary>
    private async Task<List<Task<TransactionId>>> QueueBehindAStalledFlushAsync(SequencerRig rig, int contentsBytes)
    {
        _disk.Close();
        var large = await rig.AppendAsync(new string('x', (1 << 20) + 1));
        Assert.True(large.Seqno > 0);
        var writes = Enumerable.Range(0, QueuedWrites).Select(i => rig.AppendAsync($"{i:D4}{new string('y', contentsBytes)}").AsTask()).ToList();
        Assert.All(writes, write => Assert.False(write.IsCompleted));
        _disk.Open();
        return writes;
    }
}
