using Vellum.Core.Entries;
using Vellum.Storage;
using Vellum.Storage.Files;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// A write is answered with its transaction id as soon as it is appended, before it is written
/// (ACL does the same), so a kill can lose a write whose id a client already holds. That id must
/// never come to name a different write after the restart.
/// </summary>
public sealed class TransactionIdAfterCrashTests
{
    private const string Directory = "/ledger";

    [Fact]
    public async Task AnIdAnsweredForAWriteLostInACrashIsNotGivenToAnotherWriteAfterRestart()
    {
        var disk = new SimulatedFileSystem();
        using var stalling = new GatedFileSystem(disk);
        var before = await SequencerRig.OpenAsync(new LedgerOptions { Directory = Directory, FileSystem = stalling });
        var committed = await before.AppendAsync("committed before the crash");
        await before.Sequencer.Commits.WaitCommittedAsync(committed.Seqno, CancellationToken.None);

        // The disk stalls, so the next write is answered but never written; then the process dies.
        stalling.Close();
        var lost = await before.AppendAsync("answered, then lost in the crash");
        stalling.Kill();
        before.Abandon();
        disk.RestartProcess();

        await using var after = await SequencerRig.OpenAsync(new LedgerOptions { Directory = Directory, FileSystem = disk });
        var next = await after.AppendAsync("the first write after the restart");
        await after.Sequencer.Commits.WaitCommittedAsync(next.Seqno, CancellationToken.None);

        // Whatever the restarted node stores at the lost write's seqno, it is not that write's id:
        // a client polling the id it was given must not find someone else's entry committed under it.
        var entry = after.Ledger.ReadEntry(lost.Seqno);
        var stored = EntryCodec.ReadHeader(entry);
        var what = stored.Kind == EntryKind.Write ? $"the write \"{EntryCodec.DecodeWrite(entry).Contents}\"" : $"a {stored.Kind} entry";
        Assert.True(stored.Id != lost, $"The lost write was answered with {lost}; after the restart {stored.Id} is {what}, committed under the same id.");
    }
}
