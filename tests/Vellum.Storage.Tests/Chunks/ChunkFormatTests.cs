using System.Buffers.Binary;
using System.Text;
using Vellum.Storage.Audit;
using Vellum.Storage.Files;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests.Chunks;

/// <summary>
/// Chunk format 2 (compact entry records, a per-chunk collection table, 32-bit entry offsets)
/// keeps every promise of format 1, and ledgers written in format 1 stay readable and writable:
/// a chunk keeps the format it was created in, new chunks are created in format 2.
/// </summary>
public sealed class ChunkFormatTests
{
    private const string Directory = "/ledger";
    private static readonly byte[] Collection = "payments-eu-west"u8.ToArray();
    private static readonly string FormatOneLedger = Path.Combine(AppContext.BaseDirectory, "Fixtures", "ledger-v1");

    [Fact]
    public async Task ALedgerWrittenInFormatOneOpensReadsVerifiesAndGrowsWithNewChunksInFormatTwo()
    {
        using var directory = new TemporaryDirectory();
        foreach (var file in System.IO.Directory.GetFiles(FormatOneLedger))
        {
            File.Copy(file, Path.Combine(directory.Path, Path.GetFileName(file)));
        }

        // The fixture was written by the format-1 build: 113 entries from LedgerDriver's stream,
        // seven closed chunks and the open ledger_106.open.
        Assert.All(System.IO.Directory.GetFiles(directory.Path, "ledger_*"), path => Assert.Equal(1u, FormatOf(path)));
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(directory.Path, DiskFileSystem.Instance)))
        {
            Assert.Equal(113, ledger.LastSeqno);
            for (var seqno = 1; seqno <= 113; seqno++)
            {
                var entry = ledger.ReadEntry(seqno);
                var expected = driver.Next();
                if (seqno % 5 != 0)
                {
                    Assert.Equal(expected, entry);
                }

                driver.Record(entry);
            }

            await ledger.VerifyAsync();
            for (var i = 0; i < 60; i++)
            {
                await driver.AppendNextAsync(ledger);
            }

            await ledger.FlushAsync();
            LedgerAssert.Matches(driver, ledger, "after growing");
            await ledger.VerifyAsync();
        }

        // The open chunk was continued in format 1 (and closed); the chunks after it are format 2.
        Assert.Equal(1u, FormatOf(System.IO.Directory.GetFiles(directory.Path, "ledger_106-*.chunk").Single()));
        var newer = System.IO.Directory.GetFiles(directory.Path, "ledger_*").Where(path => FirstSeqnoOf(path) > 106).ToList();
        Assert.NotEmpty(newer);
        Assert.All(newer, path => Assert.Equal(2u, FormatOf(path)));

        await using (var reopened = await Ledger.OpenAsync(LedgerDriver.Options(directory.Path, DiskFileSystem.Instance)))
        {
            LedgerAssert.Matches(driver, reopened, "reopened");
        }

        var report = LedgerAuditor.Audit(LedgerAuditor.ChunkFilesIn(directory.Path), new LedgerAuditOptions { AllowOpenChunk = true });
        Assert.True(report.IsValid, report.Failure?.ToString());
        Assert.Equal(driver.LastSeqno, report.Entries + report.UnsignedEntries);
    }

    [Fact]
    public async Task AChunkStoresACollectionIdAndASignersCertificateOnceAmongItsEntriesAndReadsThemBackFromItsDictionary()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem, maxChunkBytes: 64 * 1024)))
        {
            for (var i = 0; i < 150; i++)
            {
                await AppendMixedAsync(ledger, driver, i);
            }

            await ledger.FlushAsync();
            var open = fileSystem.ReadAllBytes($"{Directory}/{LedgerAssert.OpenChunks(fileSystem, Directory).Single()}");
            Assert.Equal(1, Occurrences(open, Collection));
            Assert.Equal(1, Occurrences(open, EntryFactory.NodeCertificateDer));

            // Close it with a signature over the size bound, then read it through its footer, from a reopened ledger.
            for (var i = 150; ledger.LastSeqno < 1000 && LedgerAssert.ClosedChunks(fileSystem, Directory).Count == 0; i++)
            {
                await AppendMixedAsync(ledger, driver, i);
                await ledger.FlushAsync();
            }

            var (first, last) = LedgerAssert.ClosedChunks(fileSystem, Directory).Single();
            var closed = fileSystem.ReadAllBytes($"{Directory}/ledger_{first}-{last}.chunk");

            // Among the entries, each is stored only at its first use; the footer (from the
            // offset its 48-byte trailer gives) names the collection again in its index keys and
            // both in the chunk's dictionary.
            var footer = (int)BinaryPrimitives.ReadInt64LittleEndian(closed.AsSpan(closed.Length - 48 + 16));
            Assert.Equal(1, Occurrences(closed.AsSpan(0, footer), Collection));
            Assert.Equal(1, Occurrences(closed.AsSpan(0, footer), EntryFactory.NodeCertificateDer));
            Assert.Equal(1, Occurrences(closed.AsSpan(footer), EntryFactory.NodeCertificateDer));
        }

        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem, maxChunkBytes: 64 * 1024));
        LedgerAssert.Matches(driver, reopened);
        await reopened.VerifyAsync();
    }

    [Fact]
    public async Task TruncatingBeforeACollectionsFirstUseLetsTheChunkNumberOtherCollectionsAfresh()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)))
        {
            foreach (var collection in new[] { "a", "b", "a", "b" })
            {
                await AppendWriteAsync(ledger, driver, collection);
            }

            await ledger.FlushAsync();
            await ledger.TruncateAfterAsync(1);
            driver.TruncateTo(1);

            // "b" lost its first use: it and a new collection are numbered again, in their new order.
            foreach (var collection in new[] { "c", "b", "a", "c", "b" })
            {
                await AppendWriteAsync(ledger, driver, collection);
            }

            await ledger.FlushAsync();
            for (var seqno = 1; seqno <= driver.LastSeqno; seqno++)
            {
                Assert.Equal(driver.Entries[seqno], ledger.ReadEntry(seqno));
            }
        }

        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        for (var seqno = 1; seqno <= driver.LastSeqno; seqno++)
        {
            Assert.Equal(driver.Entries[seqno], reopened.ReadEntry(seqno));
        }
    }

    /// <summary>Every third entry a write to <see cref="Collection"/>, the others the driver's stream (writes to c0-c2 and signatures).</summary>
    private static Task AppendMixedAsync(Ledger ledger, LedgerDriver driver, int i) =>
        i % 3 == 0 ? AppendWriteAsync(ledger, driver, Encoding.UTF8.GetString(Collection)) : driver.AppendNextAsync(ledger);

    [Fact]
    public async Task ADamagedPostingInAClosedChunksIndexFailsTheQueryInsteadOfListingOtherEntries()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)))
        {
            while (LedgerAssert.ClosedChunks(fileSystem, Directory).Count == 0)
            {
                await driver.AppendNextAsync(ledger);
                await ledger.FlushAsync();
            }
        }

        // The first key in byte order is collection c0; its first posting is the Postings
        // record's first byte, a varint gap that now shifts every later c0 seqno by one.
        var (first, last) = LedgerAssert.ClosedChunks(fileSystem, Directory).Single();
        var path = $"{Directory}/ledger_{first}-{last}.chunk";
        var bytes = fileSystem.ReadAllBytes(path);
        var postings = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(bytes.Length - 48 + 32));
        bytes[postings + 12] ^= 0x01;
        fileSystem.Overwrite(path, bytes);

        await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        Assert.Equal(driver.Entries[1], reopened.ReadEntry(1));
        // Either the postings no longer decode (reported at the chunk) or they name entries
        // that do not carry the key (reported by the query's check of every entry it reads).
        var error = Assert.Throws<LedgerCorruptException>(() => reopened.ReadByKey(Indexing.IndexKey.Collection("c0"), 1, long.MaxValue, int.MaxValue));
        Assert.True(error.Path == path || error.Message.Contains("does not carry it", StringComparison.Ordinal), error.Message);
    }

    private static async Task AppendWriteAsync(Ledger ledger, LedgerDriver driver, string collection)
    {
        var entry = EntryFactory.Write(driver.LastSeqno + 1, collection: collection);
        await ledger.AppendAsync(entry);
        driver.Record(entry);
    }

    private static uint FormatOf(string path)
    {
        var header = new byte[12];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
    }

    private static long FirstSeqnoOf(string path) => long.Parse(Path.GetFileName(path)["ledger_".Length..].Split('.', '-')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static int Occurrences(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        for (var at = haystack.IndexOf(needle); at >= 0; at = haystack[(at + 1)..].IndexOf(needle) is var next && next >= 0 ? at + 1 + next : -1)
        {
            count++;
        }

        return count;
    }
}
