using Vellum.Storage.Files;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

public class CorruptionTests
{
    private const string Directory = "/ledger";

    [Fact]
    public async Task AFlippedByteAnywhereInAClosedChunkIsDetectedWithItsFileAndOffset()
    {
        var fileSystem = new SimulatedFileSystem();
        await BuildLedgerAsync(fileSystem, entries: 40);
        var chunkName = fileSystem.ListFiles(Directory).Single(name => name.EndsWith(".chunk", StringComparison.Ordinal));
        var chunkPath = $"{Directory}/{chunkName}";
        var original = fileSystem.ReadAllBytes(chunkPath);

        for (var offset = 0; offset < original.Length; offset++)
        {
            var damaged = original.ToArray();
            damaged[offset] ^= 0x20;
            fileSystem.Overwrite(chunkPath, damaged);

            var error = await FindCorruptionAsync(fileSystem);

            Assert.True(error is not null, $"a flipped byte at offset {offset} of {original.Length} went unnoticed");
            Assert.Equal(chunkPath, error.Path);
            Assert.True(error.Offset <= offset && offset - error.Offset < 1024, $"byte {offset} of {original.Length} was reported at offset {error.Offset}: {error.Message}");
        }

        fileSystem.Overwrite(chunkPath, original);
        Assert.Null(await FindCorruptionAsync(fileSystem));
    }

    [Fact]
    public async Task ReadingADamagedEntryFailsInsteadOfReturningWrongBytes()
    {
        var fileSystem = new SimulatedFileSystem();
        // Enough entries that the damaged one, in the first chunk, lies below the stored levels of
        // the tree at its checkpoint, so opening the ledger does not need to read it.
        var driver = await BuildLedgerAsync(fileSystem, entries: 150);
        var chunkPath = $"{Directory}/" + fileSystem.ListFiles(Directory).Single(name => name.StartsWith("ledger_1-", StringComparison.Ordinal));
        var damaged = fileSystem.ReadAllBytes(chunkPath);
        damaged[200] ^= 0x01;
        fileSystem.Overwrite(chunkPath, damaged);

        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        var failures = 0;
        for (var seqno = 1; seqno <= ledger.LastSeqno; seqno++)
        {
            try
            {
                Assert.Equal(driver.Entries[seqno], ledger.ReadEntry(seqno));
            }
            catch (LedgerCorruptException error)
            {
                Assert.Equal(chunkPath, error.Path);
                failures++;
            }
        }

        Assert.Equal(1, failures);
    }

    private static async Task<LedgerDriver> BuildLedgerAsync(SimulatedFileSystem fileSystem, int entries)
    {
        var driver = new LedgerDriver();
        await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
        for (var i = 0; i < entries; i++)
        {
            await driver.AppendNextAsync(ledger);
        }

        return driver;
    }

    /// <summary>Opens the ledger and verifies it; the corruption found at either step, or null.</summary>
    private static async Task<LedgerCorruptException?> FindCorruptionAsync(SimulatedFileSystem fileSystem)
    {
        try
        {
            await using var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
            await ledger.VerifyAsync();
            return null;
        }
        catch (LedgerCorruptException error)
        {
            return error;
        }
    }
}
