using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Merkle;
using Vellum.Storage.Chunks;
using Vellum.Storage.Files;

namespace Vellum.Storage;

/// <summary>
/// Closed chunk files read on their own, without opening a ledger: what a backup copies and what
/// checking a backup verifies. A closed chunk is never written again unless a truncation reopens
/// it, and a truncation never removes committed entries, so a closed chunk whose entries are all
/// committed can be read while a node runs on its folder.
/// </summary>
public static class ClosedChunkFiles
{
    // Verification reads the chunks one after the other: two handles are enough.
    private const int MaxOpenFiles = 2;

    /// <summary>Parses a closed chunk's file name, <c>ledger_&lt;first&gt;-&lt;last&gt;.chunk</c>; false for any other name.</summary>
    public static bool TryParseName(string name, out long firstSeqno, out long lastSeqno) =>
        ChunkFile.TryParseName(name, out firstSeqno, out lastSeqno) && lastSeqno >= 0;

    /// <summary>Parses an open chunk's file name, <c>ledger_&lt;first&gt;.open</c>; false for any other name.</summary>
    public static bool TryParseOpenName(string name, out long firstSeqno) =>
        ChunkFile.TryParseName(name, out firstSeqno, out var lastSeqno) && lastSeqno < 0;

    /// <summary>
    /// Reads the last entry of the closed chunk at <paramref name="path"/>, which is always a
    /// signature, checking the chunk's header, trailer and key directory on the way.
    /// </summary>
    /// <exception cref="LedgerCorruptException">The chunk is damaged, or its last entry is not a signature.</exception>
    public static SignatureEntry ReadLastSignature(string path)
    {
        if (!TryParseName(Path.GetFileName(path), out var first, out var last))
        {
            throw new LedgerCorruptException(path, 0, "the name is not a closed chunk's");
        }

        using var files = new ChunkFileCache(DiskFileSystem.ReadOnly, MaxOpenFiles);
        var chunk = Load(files, path, first, last);
        return LastSignature(chunk);
    }

    /// <summary>
    /// Verifies closed chunk files as a ledger prefix: they run on from seqno 1 with no gap or
    /// overlap, every byte of every chunk checks (records, entries, footers), and every signature
    /// signs the root of a Merkle tree recomputed from the entries before it. Only the tree's
    /// frontier is held in memory.
    /// </summary>
    /// <param name="paths">The chunk files, in any order.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <returns>The last signature, or null when there is no chunk.</returns>
    /// <exception cref="LedgerCorruptException">Anything does not check; names the file and offset.</exception>
    public static SignatureEntry? Verify(IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var report = Audit.LedgerAuditor.Audit(paths, new Audit.LedgerAuditOptions(), cancellationToken);
        return report.Failure switch
        {
            null => report.LastSignature,
            { Path.Length: 0 } failure => throw new LedgerCorruptException(failure.Reason),
            var failure => throw new LedgerCorruptException(failure.Path, failure.Offset, failure.Reason),
        };
    }

    private static ClosedChunk Load(ChunkFileCache files, string path, long first, long last)
    {
        using var lease = files.Open(first, path);
        return ClosedChunk.Load(files, lease.File, path, first, last);
    }

    private static SignatureEntry LastSignature(ClosedChunk chunk)
    {
        var entry = chunk.ReadEntry(chunk.LastSeqno);
        if (EntryCodec.ReadHeader(entry).Kind != EntryKind.Signature)
        {
            throw new LedgerCorruptException(chunk.Path, chunk.EntryRecordOffset(chunk.LastSeqno), "a closed chunk's last entry is not a signature");
        }

        return EntryCodec.ReadSignature(entry);
    }
}
