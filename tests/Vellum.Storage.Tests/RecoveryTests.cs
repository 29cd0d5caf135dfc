using Microsoft.Extensions.Logging;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Storage.Chunks;
using Vellum.Storage.Files;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

public class RecoveryTests
{
    private const string Directory = "/ledger";

    [Fact]
    public async Task ATornTailIsTruncatedAndReported()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = await BuildAsync(fileSystem, entries: 8);
        var openPath = OpenChunk(fileSystem);
        var intact = fileSystem.ReadAllBytes(openPath);
        var torn = driver.Next();
        fileSystem.Overwrite(openPath, [.. intact, .. torn.AsSpan(0, 40)]);

        var logger = new ListLogger();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem, logger: logger)))
        {
            Assert.Equal(8, ledger.LastSeqno);
            Assert.Equal(driver.RootAt(9), ledger.RootAt(9));
            Assert.Equal(9, await ledger.AppendAsync(torn));
        }

        var warning = Assert.Single(logger.Messages, m => m.Level == LogLevel.Warning);
        Assert.Contains($"Truncated the tail of {openPath} at offset {intact.Length}: 40 bytes", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACloseInterruptedBeforeItsRenameIsFinished()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = await BuildAsync(fileSystem, entries: 40);
        var closed = fileSystem.ListFiles(Directory).Where(n => n.EndsWith(".chunk", StringComparison.Ordinal)).Order().Last();
        var first = closed["ledger_".Length..closed.IndexOf('-', StringComparison.Ordinal)];
        fileSystem.Delete(OpenChunk(fileSystem));
        fileSystem.Rename($"{Directory}/{closed}", $"{Directory}/ledger_{first}.open");

        var logger = new ListLogger();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem, logger: logger));

        Assert.Contains(logger.Messages, m => m.Message.Contains("Finishing the close", StringComparison.Ordinal));
        Assert.Contains(closed, fileSystem.ListFiles(Directory));
        Assert.Equal(driver.RootAt(ledger.LastSeqno + 1), ledger.RootAt(ledger.LastSeqno + 1));
        await ledger.VerifyAsync();
    }

    [Fact]
    public async Task AMissingChunkIsCorruptionNamingTheMissingSeqnos()
    {
        var fileSystem = new SimulatedFileSystem();
        await BuildAsync(fileSystem, entries: 60);
        var chunks = fileSystem.ListFiles(Directory).Where(n => n.EndsWith(".chunk", StringComparison.Ordinal)).ToList();
        Assert.True(chunks.Count >= 2);
        var missing = chunks.OrderBy(n => long.Parse(n.Split('_', '-')[1], System.Globalization.CultureInfo.InvariantCulture)).First();
        fileSystem.Delete($"{Directory}/{missing}");

        var error = await Assert.ThrowsAsync<LedgerCorruptException>(() => Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)));
        Assert.Contains("seqnos 1-", error.Message, StringComparison.Ordinal);
        Assert.Contains("are missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADamagedOrMissingCheckpointMakesRecoveryRebuildTheTreeFromTheChunks()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = await BuildAsync(fileSystem, entries: 200);

        // Damage the last node the checkpoint vouches for: it is a peak of the tree at that size.
        var checkpointSize = BitConverter.ToInt64(fileSystem.ReadAllBytes($"{Directory}/checkpoint"), 16);
        var nodes = fileSystem.ReadAllBytes($"{Directory}/merkle.nodes");
        nodes[(int)((LedgerNodeStore.StoredCount(checkpointSize) - 1) * Sha256Hash.Size)] ^= 0xFF;
        fileSystem.Overwrite($"{Directory}/merkle.nodes", nodes);
        await AssertRebuiltAsync(fileSystem, driver);

        fileSystem.Delete($"{Directory}/checkpoint");
        await AssertRebuiltAsync(fileSystem, driver);
    }

    [Fact]
    public async Task ADamagedInteriorMerkleNodeIsFoundByVerification()
    {
        var fileSystem = new SimulatedFileSystem();
        await BuildAsync(fileSystem, entries: 300);
        var nodes = fileSystem.ReadAllBytes($"{Directory}/merkle.nodes");

        // The subtree over leaves 128 to 255, at level 7 of the tree: the file holds levels from LowLevels (6) up.
        var damagedNode = Core.Merkle.MerkleShape.NodePosition(level: 7 - LedgerNodeStore.LowLevels, index: 1);
        nodes[(int)(damagedNode * Sha256Hash.Size)] ^= 0xFF;
        fileSystem.Overwrite($"{Directory}/merkle.nodes", nodes);

        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        var error = await Assert.ThrowsAsync<LedgerCorruptException>(() => ledger.VerifyAsync());

        Assert.Equal($"{Directory}/merkle.nodes", error.Path);
        Assert.Equal(damagedNode * Sha256Hash.Size, error.Offset);
    }

    [Fact]
    public async Task ReopeningUsesTheCheckpointInsteadOfRereadingEveryChunk()
    {
        var fileSystem = new SimulatedFileSystem();
        await BuildAsync(fileSystem, entries: 800);
        var chunks = fileSystem.ListFiles(Directory).Count(n => n.EndsWith(".chunk", StringComparison.Ordinal));

        var ledgerBytes = fileSystem.ListFiles(Directory).Where(n => n.StartsWith("ledger_", StringComparison.Ordinal)).Sum(n => (long)fileSystem.ReadAllBytes($"{Directory}/{n}").Length);

        var withCheckpoint = await BytesReadToOpenAsync(fileSystem);
        fileSystem.Delete($"{Directory}/checkpoint");
        var withoutCheckpoint = await BytesReadToOpenAsync(fileSystem);

        Assert.True(chunks >= 20, $"expected many chunks, found {chunks}");
        Assert.True(withCheckpoint < ledgerBytes / 4, $"opening with a checkpoint read {withCheckpoint} of the ledger's {ledgerBytes} bytes");
        Assert.True(withoutCheckpoint >= ledgerBytes * 9 / 10, $"rebuilding read only {withoutCheckpoint} of the ledger's {ledgerBytes} bytes");
    }

    [Fact]
    public async Task AnEntryAlteredWithARecomputedChecksumContradictsTheSignedRoot()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = await BuildAsync(fileSystem, entries: 9);
        var openPath = OpenChunk(fileSystem);
        var bytes = fileSystem.ReadAllBytes(openPath);

        // Rewrite entry 2's contents and re-seal its record: the checksum is sound again, but the
        // signature at seqno 5 signed a root over the original entry. Its record follows entry 1's
        // and, like the entry, ends with the contents.
        var recordOffset = 32 + 12 + BitConverter.ToInt32(bytes, 32 + 4);
        var payloadLength = BitConverter.ToInt32(bytes, recordOffset + 4);
        var payload = bytes.AsSpan(recordOffset + 12, payloadLength);
        Assert.Equal(driver.Entries[2][^1], payload[^1]);
        Assert.NotEqual((byte)'!', payload[^1]);
        payload[^1] = (byte)'!';
        var crc = Crc32C.Append(Crc32C.Compute(bytes.AsSpan(recordOffset + 4, 8)), payload);
        BitConverter.TryWriteBytes(bytes.AsSpan(recordOffset), crc);
        fileSystem.Overwrite(openPath, bytes);

        var error = await Assert.ThrowsAsync<LedgerCorruptException>(() => Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)));
        Assert.Equal(openPath, error.Path);
        Assert.Contains("signs root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckpointAheadOfTheChunkFilesIsCorruption()
    {
        var fileSystem = new SimulatedFileSystem();
        await BuildAsync(fileSystem, entries: 60);
        var closed = fileSystem.ListFiles(Directory).Where(n => n.EndsWith(".chunk", StringComparison.Ordinal)).ToList();
        foreach (var name in closed.Skip(1))
        {
            fileSystem.Delete($"{Directory}/{name}");
        }

        foreach (var name in fileSystem.ListFiles(Directory).Where(n => n.EndsWith(".open", StringComparison.Ordinal)))
        {
            fileSystem.Delete($"{Directory}/{name}");
        }

        var error = await Assert.ThrowsAsync<LedgerCorruptException>(() => Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)));
        Assert.Contains("checkpoint covers seqnos", error.Message, StringComparison.Ordinal);
    }

    private static async Task<LedgerDriver> BuildAsync(SimulatedFileSystem fileSystem, int entries)
    {
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        for (var i = 0; i < entries; i++)
        {
            await driver.AppendNextAsync(ledger);
            if (i % 4 == 0)
            {
                await ledger.FlushAsync();
            }
        }

        return driver;
    }

    private static string OpenChunk(SimulatedFileSystem fileSystem) =>
        $"{Directory}/" + fileSystem.ListFiles(Directory).Single(n => n.EndsWith(".open", StringComparison.Ordinal));

    private static async Task AssertRebuiltAsync(SimulatedFileSystem fileSystem, LedgerDriver driver)
    {
        var logger = new ListLogger();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem, logger: logger));
        Assert.Contains(logger.Messages, m => m.Message.Contains("Rebuilding the Merkle tree", StringComparison.Ordinal));
        Assert.Equal(driver.RootAt(driver.LastSeqno + 1), ledger.RootAt(ledger.LastSeqno + 1));
        await ledger.VerifyAsync();
    }

    private static async Task<long> BytesReadToOpenAsync(SimulatedFileSystem fileSystem)
    {
        var before = fileSystem.BytesRead;
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        return fileSystem.BytesRead - before;
    }

    /// <summary>
    /// A flipped byte in a durable entry of the open chunk is taken for a torn tail: recovery
    /// truncates it and every durable entry after it, a signature included, and only logs a
    /// warning. Here each entry was written and fsynced by its own batch, and a batch is written
    /// only after the previous one's fsync returned, so a crash can tear at most the last batch;
    /// the sound records of seven later batches prove the damaged one was durable.
    /// </summary>
    [Fact]
    public async Task DamageToADurableEntryOfTheOpenChunkFollowedBySoundEntriesIsCorruptionNotATornTail()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)))
        {
            for (var i = 0; i < 9; i++)
            {
                await driver.AppendNextAsync(ledger);
                await ledger.FlushAsync();
            }

            Assert.Equal(9, ledger.DurableSeqno);
        }

        var openPath = DamageEntryRecord(fileSystem, index: 1);

        try
        {
            await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
            Assert.Fail($"the ledger opened with {reopened.LastSeqno} of its 9 durable entries (the signature at seqno 5 among those dropped) instead of reporting the damage");
        }
        catch (LedgerCorruptException error)
        {
            Assert.Equal(openPath, error.Path);
        }
    }

    /// <summary>
    /// The first signature of a chunk stores its node certificate in full, which its record's
    /// form byte says: recovery's search for sound records after damage must know that form too,
    /// or damage followed only by that signature passes for a torn tail and both are dropped.
    /// </summary>
    [Fact]
    public async Task DamageFollowedOnlyByTheChunksFirstSignatureIsCorruptionNotATornTail()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        await using (var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)))
        {
            for (var i = 0; i < 5; i++)
            {
                await driver.AppendNextAsync(ledger);
                await ledger.FlushAsync();
            }

            Assert.Equal(Core.Entries.EntryKind.Signature, Core.Entries.EntryCodec.ReadHeader(driver.Entries[5]).Kind);
        }

        var openPath = DamageEntryRecord(fileSystem, index: 3);
        var error = await Assert.ThrowsAsync<LedgerCorruptException>(() => Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem)));
        Assert.Equal(openPath, error.Path);
    }

    /// <summary>Flips a byte inside the digests of the open chunk's entry record number <paramref name="index"/> (from 0); returns the chunk's path.</summary>
    private static string DamageEntryRecord(SimulatedFileSystem fileSystem, int index)
    {
        var openPath = $"{Directory}/" + fileSystem.ListFiles(Directory).Single(n => n.EndsWith(".open", StringComparison.Ordinal));
        var bytes = fileSystem.ReadAllBytes(openPath);
        var record = ChunkFile.HeaderSize;
        for (var i = 0; i < index; i++)
        {
            record += RecordFrame.FramedSize(BitConverter.ToInt32(bytes, record + 4));
        }

        bytes[record + RecordFrame.HeaderSize + 30] ^= 0x01;
        fileSystem.Overwrite(openPath, bytes);
        return openPath;
    }

    /// <summary>
    /// The checkpoint and <c>merkle.nodes</c> are documented as hints that may be lost. Without
    /// them recovery rebuilds the tree, appending every stored node of the whole ledger to the node
    /// store's in-memory write-behind buffer before anything is written: 8 bytes per entry held
    /// at once. That buffer is an int-indexed array whose growth stops doubling at 1 GiB (so
    /// copies turn quadratic) and overflows at 2 GiB, so a ledger of some 34 million entries can
    /// no longer be opened without its checkpoint, and smaller ones need memory in proportion to
    /// their length. The rebuild should write nodes out as it goes, keeping at most
    /// <see cref="LedgerOptions.MaxPendingBytes"/> in memory.
    /// </summary>
    [Fact]
    public async Task RebuildingTheTreeWithoutACheckpointKeepsAtMostMaxPendingBytesOfNodesInMemory()
    {
        var fileSystem = new SimulatedFileSystem();
        var driver = new LedgerDriver();
        var options = new LedgerOptions { Directory = Directory, FileSystem = fileSystem, FlushInBackground = false, MaxChunkBytes = 1 << 20, MaxPendingBytes = 1 << 20 };

        // Enough entries that their stored nodes (8 bytes each) exceed the bound.
        const int entries = 200_000;
        await using (var ledger = await Ledger.OpenAsync(options))
        {
            for (var i = 0; i < entries; i++)
            {
                await driver.AppendNextAsync(ledger);
                if (i % 1000 == 0)
                {
                    await ledger.FlushAsync();
                }
            }
        }

        fileSystem.Delete($"{Directory}/checkpoint");
        var nodeBytes = LedgerNodeStore.StoredCount(entries + 1) * Core.Sha256Hash.Size;
        await using var reopened = await Ledger.OpenAsync(options);
        var written = fileSystem.ReadAllBytes($"{Directory}/merkle.nodes").Length;
        Assert.True(
            nodeBytes - written <= options.MaxPendingBytes,
            $"after rebuilding the tree, {nodeBytes - written} of its {nodeBytes} node bytes are held in memory, over the {options.MaxPendingBytes}-byte bound");
    }
}
