using Vellum.Core.Identity;
using Vellum.Storage;

namespace Vellum.Node.Backup;

/// <summary>
/// Whether a folder may receive a ledger's backup, decided before anything in it is written or
/// removed. It must hold nothing but the files a backup holds (or an interrupted one left), and,
/// when it holds a backup already, a backup of this very ledger: by content, the newest chunk it
/// shares with the ledger has the same SHA-256 as the ledger's, and by identity, its service
/// certificate is the ledger's or, for a recovered ledger, the lost service's, unless a shared
/// chunk proved the ledger the same. Names alone decide nothing: most ledgers are called "vellum".
/// </summary>
internal static class BackupFolderCheck
{
    /// <summary>Refuses a folder holding a file or folder that no backup holds.</summary>
    /// <exception cref="BackupException">The folder holds such a file; nothing was written.</exception>
    public static void RequireOnlyBackupFiles(string backup)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(backup, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(backup, path).Replace(Path.DirectorySeparatorChar, '/');
            var isBackupEntry = Directory.Exists(path) ? relative == LedgerBackup.LedgerFolder : IsBackupFile(relative);
            if (!isBackupEntry)
            {
                throw new BackupException(
                    $"{backup} holds {relative}, which is not a file of a Vellum backup: a backup goes into a new folder, " +
                    "or one that holds a backup of the same ledger. Nothing was written.");
            }
        }
    }

    /// <summary>Refuses a folder that holds another ledger's backup, by content and by identity.</summary>
    /// <param name="backup">The backup folder, locked.</param>
    /// <param name="previous">The backup's manifest; null when it has none yet.</param>
    /// <param name="ledgerChunks">The ledger's closed chunks the backup would hold: relative path to file.</param>
    /// <param name="ledgerServices">The ledger's service certificates (PEM): its own and, when recovered, the lost one.</param>
    /// <param name="cancellationToken">Stops the hashing.</param>
    /// <exception cref="BackupException">The folder holds a backup of another ledger, or of other chunks; nothing was written.</exception>
    public static async Task RequireSameLedgerAsync(
        string backup,
        BackupManifest? previous,
        IReadOnlyDictionary<string, string> ledgerChunks,
        IReadOnlyList<string> ledgerServices,
        CancellationToken cancellationToken)
    {
        var backupChunks = previous?.Files.Where(file => file.Path.StartsWith(LedgerBackup.LedgerFolder + "/", StringComparison.Ordinal)).ToList() ?? [];
        RequireSameChunkEnds(backup, backupChunks, ledgerChunks.Keys);

        // The newest shared chunk ends with a signature over the Merkle root of every entry before
        // it: equal bytes there make the two the same ledger up to it.
        var shared = backupChunks.Where(file => ledgerChunks.ContainsKey(file.Path)).MaxBy(file => LedgerBackup.LastSeqnoOf(file.Path));
        if (shared is not null)
        {
            var (bytes, sha256) = await BackupFileCopy.HashAsync(ledgerChunks[shared.Path], cancellationToken);
            if (bytes != shared.Bytes || sha256 != shared.Sha256)
            {
                throw new BackupException(
                    $"{backup} holds a backup of another ledger (or a damaged one): its {shared.Path} has SHA-256 {shared.Sha256}, " +
                    $"this ledger's {sha256}. Choose another folder; nothing was written.");
            }

            return;
        }

        var certificate = Path.Combine(backup, "service_cert.pem");
        if (File.Exists(certificate))
        {
            var id = ServiceLineage.IdentityId(await File.ReadAllTextAsync(certificate, cancellationToken));
            if (!ledgerServices.Any(pem => ServiceLineage.IdentityId(pem) == id))
            {
                throw new BackupException(
                    $"{backup} holds a backup of another ledger: its service certificate ({id}) is neither this ledger's service " +
                    "certificate nor the one it was recovered from. Choose another folder; nothing was written.");
            }
        }
    }

    private static bool IsBackupFile(string relative)
    {
        var name = relative.EndsWith(BackupFileCopy.TemporarySuffix, StringComparison.Ordinal) ? relative[..^BackupFileCopy.TemporarySuffix.Length] : relative;
        return name is BackupManifest.FileName or "LOCK"
            || LedgerBackup.RootFiles.Contains(name)
            || (name.StartsWith(LedgerBackup.LedgerFolder + "/", StringComparison.Ordinal)
                && ClosedChunkFiles.TryParseName(name[(LedgerBackup.LedgerFolder.Length + 1)..], out _, out _));
    }

    // A backup holding chunks cut at other seqnos (taken from another ledger, or from a node whose
    // chunks close elsewhere) cannot take this ledger's: the two would overlap.
    private static void RequireSameChunkEnds(string backup, List<BackupFile> backupChunks, IEnumerable<string> ledgerChunks)
    {
        // One pass over both lists in seqno order: every run of a scheduled backup makes this
        // check, and a large ledger has many thousand chunks.
        var ledger = ledgerChunks.Select(path => (Path: path, Range: RangeOf(path))).OrderBy(chunk => chunk.Range.First).ToList();
        var next = 0;
        foreach (var file in backupChunks.Select(file => (file.Path, Range: RangeOf(file.Path))).OrderBy(chunk => chunk.Range.First))
        {
            while (next < ledger.Count && ledger[next].Range.Last < file.Range.First)
            {
                next++;
            }

            for (var i = next; i < ledger.Count && ledger[i].Range.First <= file.Range.Last; i++)
            {
                if (ledger[i].Path != file.Path)
                {
                    throw new BackupException(
                        $"{backup} holds a backup of another ledger, or of a node whose chunks close at other seqnos: its {file.Path} " +
                        $"overlaps this ledger's {ledger[i].Path}. Choose another folder; nothing was written.");
                }
            }
        }
    }

    private static (long First, long Last) RangeOf(string relative) =>
        ClosedChunkFiles.TryParseName(Path.GetFileName(relative), out var first, out var last) ? (first, last) : (-1, -2);
}
