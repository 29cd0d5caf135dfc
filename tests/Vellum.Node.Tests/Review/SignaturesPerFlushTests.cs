using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Node.Tests.Support;
using Vellum.Storage;
using Vellum.Storage.Files;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// While the last signature waits for the disk, the sequencer signs again only for a writer who
/// waits for commit: one signature per fsync is all commit needs, and every other one costs a
/// signing, a verification and its bytes in the ledger.
/// </summary>
public sealed class SignaturesPerFlushTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TemporaryDirectory _directory = new();
    private readonly GatedFileSystem _disk = new(DiskFileSystem.Instance);

    public void Dispose()
    {
        _disk.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public Task WritesNobodyWaitsForShareTheSignatureOfTheFlushTheyJoinAndAllCommitOnceTheDiskGoesOn() => WithStalledDiskAsync(async rig =>
    {
        var ids = new List<TransactionId>();
        for (var i = 0; i < 10; i++)
        {
            // One at a time: the queue runs dry after each, which used to mean a signature each.
            ids.Add(await rig.AppendAsync($"write {i}").AsTask().WaitAsync(Bound));
        }

        var kinds = rig.Kinds();
        var signatures = kinds.Count(kind => kind == EntryKind.Signature);

        // The first flush may have taken the first signature before the disk stalled it; one more waits in the buffer.
        Assert.True(signatures <= 2, $"{signatures} signatures for 10 writes appended while one flush was stuck: {string.Join(", ", kinds)}");
        _disk.Open();
        await rig.Sequencer.Commits.WaitCommittedAsync(ids[^1].Seqno, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(EntryKind.Signature, rig.Kinds()[^1]);
    });

    [Fact]
    public Task AWriterWaitingForCommitGetsASignatureWhileTheLastOneStillWaitsForTheDisk() => WithStalledDiskAsync(async rig =>
    {
        await rig.AppendAsync("before").AsTask().WaitAsync(Bound);
        await rig.AppendAsync("unsigned while the first signature waits").AsTask().WaitAsync(Bound);
        var waited = await rig.AppendAsync("awaited").AsTask().WaitAsync(Bound);
        var signaturesBefore = Signatures(rig);

        var commit = rig.Sequencer.Commits.WaitCommittedAsync(waited.Seqno, CancellationToken.None);
        var signed = await WaitForSignatureAfterAsync(rig, waited.Seqno);

        Assert.True(signed, $"no signature followed {waited} while the disk was stalled, though a writer waits for its commit");
        Assert.False(commit.IsCompleted);
        Assert.Equal(signaturesBefore + 1, Signatures(rig));
        _disk.Open();
        await commit.WaitAsync(Bound);
    });

    [Fact]
    public Task StoppingSignsWhatWasAcceptedEvenWhileTheLastSignatureWaitsForTheDisk() => WithStalledDiskAsync(async rig =>
    {
        for (var i = 0; i < 3; i++)
        {
            await rig.AppendAsync($"accepted {i}").AsTask().WaitAsync(Bound);
        }

        await rig.Sequencer.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Equal(EntryKind.Signature, rig.Kinds()[^1]);
    });

    /// <summary>
    /// Runs <paramref name="test"/> on a rig whose disk stalls every write until the test opens it,
    /// and opens it in any case before the rig closes the ledger (which flushes), so that a failed
    /// assertion does not leave the disk stalled.
    /// </summary>
    private async Task WithStalledDiskAsync(Func<SequencerRig, Task> test)
    {
        await using var rig = await SequencerRig.OpenAsync(new LedgerOptions { Directory = _directory.Path, FileSystem = _disk });
        _disk.Close();
        try
        {
            await test(rig);
        }
        finally
        {
            _disk.Open();
        }
    }

    private static int Signatures(SequencerRig rig) => rig.Kinds().Count(kind => kind == EntryKind.Signature);

    /// <summary>Whether a signature is appended after <paramref name="seqno"/> within <see cref="Bound"/>: the ledger raises no event for it, so it is looked for every millisecond.</summary>
    private static async Task<bool> WaitForSignatureAfterAsync(SequencerRig rig, long seqno)
    {
        using var deadline = new CancellationTokenSource(Bound);
        while (!deadline.IsCancellationRequested)
        {
            if (rig.Ledger.LastSeqno > seqno && rig.Kinds().Skip((int)seqno).Contains(EntryKind.Signature))
            {
                return true;
            }

            await Task.Delay(1);
        }

        return false;
    }
}
