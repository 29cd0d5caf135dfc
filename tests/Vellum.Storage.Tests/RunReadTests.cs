using Vellum.Core;
using Vellum.Storage.Files;
using Vellum.Storage.Indexing;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

/// <summary>
/// Indexed reads fetch each run of consecutive entries in a chunk with one read of their records:
/// they must give exactly the bytes single reads give, wherever the entries are (closed chunks,
/// the open chunk's file, its buffer), and check every record as single reads do.
/// </summary>
public sealed class RunReadTests
{
    private const string Directory = "/ledger";
    private const string Collection = "run";
    private readonly SimulatedFileSystem _fileSystem = new();
    private readonly LedgerDriver _driver = new();

    [Fact]
    public async Task ARangeReadGivesTheBytesOfSingleReadsFromClosedChunksTheOpenChunksFileAndItsBuffer()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, _fileSystem));
        await AppendAsync(ledger, 250);
        await ledger.FlushAsync();
        await AppendAsync(ledger, 50);
        Assert.Contains(_fileSystem.ListFiles(Directory), name => name.EndsWith(".chunk", StringComparison.Ordinal));

        var writes = Enumerable.Range(1, 300).Select(seqno => (long)seqno).Where(seqno => seqno % 10 != 0).ToList();
        var read = ledger.ReadByKey(IndexKey.Collection(Collection), 1, long.MaxValue, int.MaxValue);

        Assert.Equal(writes.Select(seqno => _driver.Entries[(int)seqno]), read);
        Assert.Equal(writes.Select(ledger.ReadEntry), read);
        Assert.Equal(writes.Where(seqno => seqno is >= 37 and <= 242), ledger.ReadByKey(IndexKey.Collection(Collection), 37, 242, int.MaxValue).Select(SeqnoOf));
    }

    [Fact]
    public async Task ARunOfMoreThanOneReadsWorthOfRecordsIsReadInPiecesWithTheSameBytes()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, _fileSystem, maxChunkBytes: 2 << 20));

        // 299 writes of 4,000 bytes between signatures: runs of 1.2 MB, over the 1 MiB one read takes.
        await AppendAsync(ledger, 700, signatureEvery: 300, contentsBytes: 4_000);
        await ledger.FlushAsync();
        Assert.Contains(_fileSystem.ListFiles(Directory), name => name == "ledger_1-600.chunk");

        var writes = Enumerable.Range(1, 700).Select(seqno => (long)seqno).Where(seqno => seqno % 300 != 0).ToList();
        var read = ledger.ReadByKey(IndexKey.Collection(Collection), 1, long.MaxValue, int.MaxValue);

        Assert.Equal(writes.Select(seqno => _driver.Entries[(int)seqno]), read);
    }

    [Fact]
    public async Task ADamagedRecordInTheMiddleOfARunIsReportedAsSingleReadsReportIt()
    {
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, _fileSystem)))
        {
            await AppendAsync(ledger, 100);
        }

        var chunk = _fileSystem.ListFiles(Directory).First(name => name.StartsWith("ledger_1-", StringComparison.Ordinal));
        var bytes = _fileSystem.ReadAllBytes($"{Directory}/{chunk}");
        var contents = System.Text.Encoding.UTF8.GetBytes("contents of 5");
        var at = bytes.AsSpan().IndexOf(contents);
        Assert.True(at > 0, "the entry's contents are in the first chunk");
        bytes[at] ^= 0x20;
        _fileSystem.Overwrite($"{Directory}/{chunk}", bytes);

        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, _fileSystem));
        var single = Assert.Throws<LedgerCorruptException>(() => reopened.ReadEntry(5));
        var run = Assert.Throws<LedgerCorruptException>(() => reopened.ReadByKey(IndexKey.Collection(Collection), 1, long.MaxValue, int.MaxValue));

        Assert.Equal(single.Path, run.Path);
        Assert.Equal(single.Offset, run.Offset);
        Assert.Contains("checksum", run.Message, StringComparison.Ordinal);
    }

    /// <summary>Appends writes to one collection, with a signature at every <paramref name="signatureEvery"/>th seqno so that chunks close.</summary>
    private async Task AppendAsync(Ledger ledger, int count, int signatureEvery = 10, int contentsBytes = 0)
    {
        for (var i = 0; i < count; i++)
        {
            var seqno = _driver.LastSeqno + 1;
            var entry = seqno % signatureEvery == 0
                ? EntryFactory.Signature(seqno, _driver.RootAt(seqno), _driver.View)
                : EntryFactory.Write(seqno, collection: Collection, contents: $"contents of {seqno}".PadRight(contentsBytes, '.'), view: _driver.View);
            await ledger.AppendAsync(entry);
            _driver.Record(entry);
        }
    }

    private static long SeqnoOf(byte[] entry) => Core.Entries.EntryCodec.ReadHeader(entry).Id.Seqno;
}
