using Vellum.Core;
using Vellum.Core.Merkle;
using Vellum.Storage.Files;

namespace Vellum.Storage.Tests.Support;

/// <summary>
/// Appends a deterministic stream of writes and signatures to a ledger while keeping a reference
/// copy of every entry and a reference Merkle tree, so tests can check what survives.
/// </summary>
internal sealed class LedgerDriver
{
    private readonly MerkleTree _reference = new(new InMemoryMerkleNodeStore());

    public LedgerDriver() => _reference.Append(Sha256Hash.Zero);

    /// <summary>Every entry appended, index = seqno (index 0 unused).</summary>
    public List<byte[]> Entries { get; } = [[]];

    public long LastSeqno => Entries.Count - 1;

    /// <summary>The view of the entries <see cref="Next"/> makes.</summary>
    public long View { get; set; } = EntryFactory.View;

    public static LedgerOptions Options(string directory, IStorageFileSystem fileSystem, bool background = false, long maxChunkBytes = 4096, Microsoft.Extensions.Logging.ILogger? logger = null) => new()
    {
        Directory = directory,
        FileSystem = fileSystem,
        FlushInBackground = background,
        MaxChunkBytes = maxChunkBytes,
        Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
    };

    /// <summary>The entry that comes next in the stream: every fifth is a signature.</summary>
    public byte[] Next()
    {
        var seqno = LastSeqno + 1;
        return seqno % 5 == 0
            ? EntryFactory.Signature(seqno, _reference.Root, View)
            : EntryFactory.Write(seqno, collection: $"c{seqno % 3}", tags: seqno % 4 == 0 ? ["even", $"t{seqno % 8}"] : [], view: View);
    }

    public async Task<long> AppendNextAsync(Ledger ledger)
    {
        var entry = Next();
        var seqno = await ledger.AppendAsync(entry);
        Record(entry);
        return seqno;
    }

    public void Record(byte[] entry)
    {
        Entries.Add(entry);
        _reference.Append(EntryFactory.Leaf(entry));
    }

    public Sha256Hash RootAt(long treeSize) => _reference.RootAt(treeSize);

    /// <summary>Forgets entries after <paramref name="seqno"/>, as when a crash lost them or a truncation removed them.</summary>
    public void TruncateTo(long seqno)
    {
        Entries.RemoveRange((int)seqno + 1, Entries.Count - (int)seqno - 1);
        _reference.TruncateTo(seqno + 1);
    }
}
