namespace Vellum.Storage.Audit;

/// <summary>
/// Audits ledger chunk files on their own, with no ledger key and no trust in whoever kept them
/// (docs/storage-format.md, "Auditing from the files alone"): every record's checksum, every
/// entry's format, seqno and view order, every closed chunk's footer byte for byte, every leaf
/// recomputed from the entry's bytes, the Merkle root at every signature recomputed and equal to
/// the signed root, every ECDSA signature, and (given the service certificate) every signing node
/// certificate endorsed by the service, across recoveries. Chunks must run on from seqno 1 with
/// no gap and end with a signature. Private ledgers audit the same way: entries are hashed as
/// stored, ciphertext included. Opens the files for reading only.
/// </summary>
public static class LedgerAuditor
{
    /// <summary>Audits the chunk files at <paramref name="chunkPaths"/>, given in any order.</summary>
    /// <param name="chunkPaths">The chunk files: closed chunks, and an open one when <see cref="LedgerAuditOptions.AllowOpenChunk"/>.</param>
    /// <param name="options">What to check beyond the files.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <returns>The report; its <see cref="LedgerAuditReport.Failure"/> names the first problem found.</returns>
    /// <exception cref="IOException">A file cannot be read at all.</exception>
    public static LedgerAuditReport Audit(IEnumerable<string> chunkPaths, LedgerAuditOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunkPaths);
        ArgumentNullException.ThrowIfNull(options);
        using var run = new LedgerAuditRun(options);
        return run.Run([.. chunkPaths], cancellationToken);
    }

    /// <summary>The chunk files in <paramref name="ledgerDirectory"/>, by name: closed chunks and open ones, nothing else.</summary>
    public static IReadOnlyList<string> ChunkFilesIn(string ledgerDirectory) =>
        [.. Directory.EnumerateFiles(ledgerDirectory).Where(path => Chunks.ChunkFile.TryParseName(System.IO.Path.GetFileName(path), out _, out _)).Order(StringComparer.Ordinal)];
}
