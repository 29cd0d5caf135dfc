using System.Globalization;
using Vellum.Core.Entries;
using Vellum.Storage.Files;
using Vellum.Storage.Indexing;

namespace Vellum.Storage.Tests.Support;

/// <summary>Compares a ledger with the reference a <see cref="LedgerDriver"/> keeps, and lists chunk files.</summary>
internal static class LedgerAssert
{
    /// <summary>
    /// Checks that the ledger holds exactly the driver's entries: bytes, root, last view and
    /// signature, every entry's view, the signature and collection indexes, and proofs.
    /// </summary>
    public static void Matches(LedgerDriver driver, Ledger ledger, string scenario = "")
    {
        var last = driver.LastSeqno;
        Assert.True(last == ledger.LastSeqno, $"{scenario}: the ledger ends at {ledger.LastSeqno}, the reference at {last}");
        Assert.True(ledger.TreeSize == last + 1, $"{scenario}: tree size {ledger.TreeSize}");
        Assert.True(driver.RootAt(last + 1) == ledger.RootAt(last + 1), $"{scenario}: the root differs");
        for (var seqno = 1; seqno <= last; seqno++)
        {
            Assert.True(driver.Entries[seqno].AsSpan().SequenceEqual(ledger.ReadEntry(seqno)), $"{scenario}: entry {seqno} differs");
            Assert.True(ViewOf(driver, seqno) == ledger.ViewAt(seqno), $"{scenario}: the view of entry {seqno} differs");
        }

        Assert.Equal(0, ledger.ViewAt(0));
        Assert.True(ViewOf(driver, last) == ledger.LastView, $"{scenario}: last view {ledger.LastView}");
        var signatures = Seqnos(driver, e => EntryCodec.ReadHeader(e).Kind == EntryKind.Signature);
        Assert.True(signatures.LastOrDefault() == (ledger.LastSignature?.Header.Id.Seqno ?? 0), $"{scenario}: the last signature differs");
        Assert.True(signatures.SequenceEqual(Seqnos(ledger.ReadByKey(IndexKey.Signatures, 1, long.MaxValue, int.MaxValue))), $"{scenario}: the signature index differs");
        var c1 = Seqnos(driver, e => EntryCodec.ReadHeader(e).Kind == EntryKind.Write && EntryCodec.DecodeWrite(e).CollectionId == "c1");
        Assert.True(c1.SequenceEqual(Seqnos(ledger.ReadByKey(IndexKey.Collection("c1"), 1, long.MaxValue, int.MaxValue))), $"{scenario}: the collection index differs");
        foreach (var seqno in new[] { 1L, last / 2, last })
        {
            if (seqno >= 1 && ledger.FindSignatureAtOrAfter(seqno + 1) is { } signature)
            {
                Assert.True(ledger.ProveInclusion(seqno, signature.TreeSize).Verify(ledger.LeafAt(seqno), signature.Root), $"{scenario}: the proof of {seqno} fails");
            }
        }
    }

    public static long ViewOf(LedgerDriver driver, long seqno) => seqno == 0 ? 0 : EntryCodec.ReadHeader(driver.Entries[(int)seqno]).Id.View;

    public static List<long> Seqnos(IEnumerable<byte[]> entries) => entries.Select(e => EntryCodec.ReadHeader(e).Id.Seqno).ToList();

    /// <summary>The closed chunks in the directory, as (first, last) seqnos, in order.</summary>
    public static List<(long First, long Last)> ClosedChunks(SimulatedFileSystem fileSystem, string directory) =>
        fileSystem.ListFiles(directory)
            .Where(name => name.EndsWith(".chunk", StringComparison.Ordinal))
            .Select(name => name["ledger_".Length..^".chunk".Length].Split('-'))
            .Select(range => (long.Parse(range[0], CultureInfo.InvariantCulture), long.Parse(range[1], CultureInfo.InvariantCulture)))
            .OrderBy(range => range.Item1)
            .ToList();

    /// <summary>The names of the open chunk files in the directory.</summary>
    public static List<string> OpenChunks(SimulatedFileSystem fileSystem, string directory) =>
        fileSystem.ListFiles(directory).Where(name => name.EndsWith(".open", StringComparison.Ordinal)).ToList();

    private static List<long> Seqnos(LedgerDriver driver, Func<byte[], bool> matches) =>
        Enumerable.Range(1, (int)driver.LastSeqno).Where(s => matches(driver.Entries[s])).Select(s => (long)s).ToList();
}
