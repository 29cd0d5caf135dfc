using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Node.Sequencing;
using Vellum.Node.Tests.Support;
using Vellum.Storage;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// The sequencer signs at once only for a writer who waits for commit; entries nobody waits for
/// are signed once the cadence's interval is up. Every signature costs a signing, a verification
/// on every node and its bytes in the ledger, and only a waiting writer gains from having it sooner.
/// </summary>
public sealed class SignatureDeferralTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly SignatureCadence Unhurried = new() { MaxInterval = TimeSpan.FromMinutes(10) };
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WritesNobodyWaitsForAreNotSignedOneByOneButAllCommitWithTheSignatureMadeForAWaiter()
    {
        await using var rig = await OpenAsync(Unhurried);
        var ids = new List<TransactionId>();
        for (var i = 0; i < 10; i++)
        {
            // One at a time: the queue runs dry after each, which used to mean a signature each.
            ids.Add(await rig.AppendAsync($"write {i}").AsTask().WaitAsync(Bound));
        }

        Assert.Equal(Enumerable.Repeat(EntryKind.Write, 10), KindsAfter(rig, ids[0].Seqno - 1));

        await rig.Sequencer.Commits.WaitCommittedAsync(ids[^1].Seqno, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal([.. Enumerable.Repeat(EntryKind.Write, 10), EntryKind.Signature], KindsAfter(rig, ids[0].Seqno - 1));
    }

    [Fact]
    public async Task AnEntryNobodyWaitsForIsSignedOnceTheCadenceIntervalIsUp()
    {
        await using var rig = await OpenAsync(new SignatureCadence { MaxInterval = TimeSpan.FromMilliseconds(50) });
        var id = await rig.AppendAsync("left alone").AsTask().WaitAsync(Bound);

        Assert.True(await WaitForSignatureAfterAsync(rig, id.Seqno), $"no signature followed {id} within {Bound}, though its interval was 50 ms");
    }

    [Fact]
    public async Task AWriterWaitingForCommitGetsOneSignatureAtOnce()
    {
        await using var rig = await OpenAsync(Unhurried);
        var before = await rig.AppendAsync("before").AsTask().WaitAsync(Bound);
        var waited = await rig.AppendAsync("awaited").AsTask().WaitAsync(Bound);

        await rig.Sequencer.Commits.WaitCommittedAsync(waited.Seqno, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal([EntryKind.Write, EntryKind.Write, EntryKind.Signature], KindsAfter(rig, before.Seqno - 1));
    }

    [Fact]
    public async Task AWriteThatWaitsForCommitCompletesCommittedWithTheSignatureMadeForIt()
    {
        await using var rig = await OpenAsync(Unhurried);
        var before = await rig.AppendAsync("before").AsTask().WaitAsync(Bound);

        var waited = await rig.AppendAsync("awaited", waitForCommit: true).AsTask().WaitAsync(Bound);

        Assert.True(rig.Sequencer.Commits.Committed.Seqno > waited.Seqno, $"{waited} completed before its commit, {rig.Sequencer.Commits.Committed}");
        Assert.Equal([EntryKind.Write, EntryKind.Write, EntryKind.Signature], KindsAfter(rig, before.Seqno - 1));
    }

    [Fact]
    public async Task StoppingSignsWhatWasAcceptedThoughItsIntervalIsNotUp()
    {
        await using var rig = await OpenAsync(Unhurried);
        for (var i = 0; i < 3; i++)
        {
            await rig.AppendAsync($"accepted {i}").AsTask().WaitAsync(Bound);
        }

        await rig.Sequencer.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Equal(EntryKind.Signature, rig.Kinds()[^1]);
    }

    /// <summary>
    /// Opens a rig and commits a first write, so that the signature a new term starts with is
    /// behind the test's writes rather than racing them.
    /// </summary>
    private async Task<SequencerRig> OpenAsync(SignatureCadence cadence)
    {
        var rig = await SequencerRig.OpenAsync(new LedgerOptions { Directory = _directory.Path }, cadence);
        var settled = await rig.AppendAsync("settles the term").AsTask().WaitAsync(Bound);
        await rig.Sequencer.Commits.WaitCommittedAsync(settled.Seqno, CancellationToken.None).WaitAsync(Bound);
        return rig;
    }

    private static List<EntryKind> KindsAfter(SequencerRig rig, long seqno) => rig.Kinds().Skip((int)seqno).ToList();

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
