using Vellum.Core.Entries;
using Vellum.Storage.Files;
using Vellum.Storage.Indexing;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

public class IndexTests
{
    private const string Directory = "/ledger";

    [Fact]
    public async Task CollectionAndTagQueriesReturnExactlyTheMatchingEntriesInOrderAcrossChunks()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        for (var i = 0; i < 150; i++)
        {
            await driver.AppendNextAsync(ledger);
            if (i % 7 == 0)
            {
                await ledger.FlushAsync();
            }
        }

        Assert.Contains(fileSystem.ListFiles(Directory), name => name.EndsWith(".chunk", StringComparison.Ordinal));
        foreach (var (key, matches) in new (IndexKey, Func<WriteEntry, bool>)[]
        {
            (IndexKey.Collection("c0"), e => e.CollectionId == "c0"),
            (IndexKey.Collection("c2"), e => e.CollectionId == "c2"),
            (IndexKey.Tag("c1", "even"), e => e.CollectionId == "c1" && e.Tags.Contains("even")),
            (IndexKey.Tag("c0", "t4"), e => e.CollectionId == "c0" && e.Tags.Contains("t4")),
        })
        {
            var expected = Writes(driver).Where(matches).Select(e => e.Header.Id.Seqno).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Seqnos(ledger.ReadByKey(key, 1, long.MaxValue, int.MaxValue)));
            Assert.Equal(expected.Where(s => s is >= 40 and <= 120), Seqnos(ledger.ReadByKey(key, 40, 120, int.MaxValue)));
            Assert.Equal(expected.Where(s => s >= 33).Take(5), Seqnos(ledger.ReadByKey(key, 33, long.MaxValue, 5)));
            foreach (var bound in new long[] { 1, 40, 77, 120, 150 })
            {
                var last = expected.Where(s => s <= bound).Select(s => (long?)s).LastOrDefault();
                Assert.Equal(last, ledger.FindLastByKey(key, bound));
            }
        }

        Assert.Null(ledger.FindLastByKey(IndexKey.Collection("nobody"), long.MaxValue));
        Assert.Empty(ledger.ReadByKey(IndexKey.Collection("nobody"), 1, long.MaxValue, 10));
        Assert.Equal(["c0", "c1", "c2"], ledger.Keys(IndexKeyKind.Collection).Select(k => k.CollectionId));
        Assert.Equal(15, ledger.FindSignatureAtOrAfter(11)!.TreeSize);
        Assert.Null(ledger.FindSignatureAtOrAfter(151));
    }

    [Fact]
    public async Task IndexesSurviveReopening()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)))
        {
            for (var i = 0; i < 90; i++)
            {
                await driver.AppendNextAsync(ledger);
            }
        }

        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        var expected = Writes(driver).Where(e => e.CollectionId == "c1").Select(e => e.Header.Id.Seqno);
        Assert.Equal(expected, Seqnos(reopened.ReadByKey(IndexKey.Collection("c1"), 1, long.MaxValue, int.MaxValue)));
        Assert.Equal(["c0", "c1", "c2"], reopened.Keys(IndexKeyKind.Collection).Select(k => k.CollectionId));
    }

    [Fact]
    public async Task QueryingASmallCollectionCostsTheSameWhateverTheLedgersSize()
    {
        var small = await BytesReadForRareCollectionAsync(busyEntriesBetween: 40);
        var large = await BytesReadForRareCollectionAsync(busyEntriesBetween: 400);

        Assert.True(large.LedgerBytes > 8 * small.LedgerBytes, "the second ledger should be much larger");
        Assert.Equal(small.QueryBytes, large.QueryBytes);
    }

    private static async Task<(long QueryBytes, long LedgerBytes)> BytesReadForRareCollectionAsync(int busyEntriesBetween)
    {
        var fileSystem = new SimulatedFileSystem();
        long seqno = 0;
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)))
        {
            for (var rare = 0; rare < 10; rare++)
            {
                await ledger.AppendAsync(EntryFactory.Write(++seqno, collection: "rare", contents: "r"));
                for (var i = 0; i < busyEntriesBetween; i++)
                {
                    await ledger.AppendAsync(EntryFactory.Write(++seqno, collection: "busy", contents: new string('b', 100)));
                }

                await ledger.AppendAsync(EntryFactory.Signature(++seqno, ledger.RootAt(seqno)));
            }
        }

        var ledgerBytes = fileSystem.ListFiles(Directory).Where(n => n.StartsWith("ledger_", StringComparison.Ordinal)).Sum(n => (long)fileSystem.ReadAllBytes($"{Directory}/{n}").Length);
        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        var before = fileSystem.BytesRead;
        var found = reopened.ReadByKey(IndexKey.Collection("rare"), 1, long.MaxValue, int.MaxValue);
        Assert.Equal(10, found.Count);
        return (fileSystem.BytesRead - before, ledgerBytes);
    }

    private static IEnumerable<WriteEntry> Writes(LedgerDriver driver) =>
        driver.Entries.Skip(1).Where(e => EntryCodec.ReadHeader(e).Kind == EntryKind.Write).Select(e => EntryCodec.DecodeWrite(e));

    private static List<long> Seqnos(IEnumerable<byte[]> entries) => entries.Select(e => EntryCodec.ReadHeader(e).Id.Seqno).ToList();

    /// <summary>
    /// <c>fromSeqno − FirstSeqno</c> overflows in <see cref="ChunkPostings"/> when a caller asks for
    /// everything from <see cref="long.MinValue"/>: the open chunk's matches are silently dropped,
    /// while closed chunks still answer.
    /// </summary>
    [Fact]
    public async Task AQueryFromTheSmallestSeqnoFindsTheEntriesOfTheOpenChunk()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem()));
        for (var seqno = 1; seqno <= 3; seqno++)
        {
            await ledger.AppendAsync(EntryFactory.Write(seqno, collection: "orders"));
        }

        Assert.Equal(3, ledger.ReadByKey(IndexKey.Collection("orders"), 1, long.MaxValue, 10).Count);
        var fromMinimum = ledger.ReadByKey(IndexKey.Collection("orders"), long.MinValue, long.MaxValue, 10);
        Assert.True(fromMinimum.Count == 3, $"a query from long.MinValue found {fromMinimum.Count} of the 3 entries");
    }

    /// <summary>
    /// Entries hold strictly valid UTF-8, but <see cref="IndexKey"/> encodes with the lenient
    /// encoder, which turns a lone surrogate into U+FFFD: a query for a collection that cannot
    /// exist is answered with the entries of another collection instead of being rejected.
    /// </summary>
    [Fact]
    public async Task AnIndexKeyThatIsNotValidUnicodeIsRejectedInsteadOfMatchingAnotherCollection()
    {
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, new SimulatedFileSystem()));
        await ledger.AppendAsync(EntryFactory.Write(1, collection: "\uFFFD"));

        IReadOnlyList<byte[]> found;
        try
        {
            found = ledger.ReadByKey(IndexKey.Collection("\uD800"), 1, long.MaxValue, 10);
        }
        catch (ArgumentException)
        {
            return;
        }

        Assert.True(found.Count == 0, $"a query for the lone surrogate U+D800 returned {found.Count} entry of collection U+FFFD");
    }
}
