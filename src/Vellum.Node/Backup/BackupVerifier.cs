using Vellum.Core.Entries;
using Vellum.Node.Setup;
using Vellum.Storage;
using Vellum.Storage.Audit;

namespace Vellum.Node.Backup;

/// <summary>
/// Checks a backup folder (<c>vellum backup verify</c>): every file the manifest lists is there
/// with its length and SHA-256, no other file is, and the chunks form a ledger prefix from seqno 1
/// whose every byte, Merkle root and signature checks, signed by nodes that chain to the backup's
/// service certificate, ending where the manifest says. <c>vellum recover</c> makes the same
/// check. Reads the backup and writes nothing to it.
/// </summary>
public static class BackupVerifier
{
    // Files that belong in a backup folder without being listed: the manifest and the writer's lock.
    private static readonly HashSet<string> Unlisted = new(StringComparer.Ordinal) { BackupManifest.FileName, "LOCK" };

    /// <summary>Verifies the backup in <paramref name="backupDirectory"/>.</summary>
    public static async Task<BackupVerification> VerifyAsync(string backupDirectory, CancellationToken cancellationToken = default)
    {
        var backup = Path.GetFullPath(backupDirectory);
        var manifestPath = Path.Combine(backup, BackupManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            return Invalid($"{manifestPath} does not exist: {backup} is not a finished backup");
        }

        BackupManifest manifest;
        try
        {
            manifest = BackupManifest.Parse(File.ReadAllBytes(manifestPath));
        }
        catch (InvalidDataException exception)
        {
            return Invalid($"{BackupManifest.FileName} cannot be read: {exception.Message}");
        }

        var problem = CheckListing(backup, manifest);
        long bytes = 0;
        foreach (var file in problem is null ? manifest.Files : [])
        {
            var (length, sha256) = await BackupFileCopy.HashAsync(LedgerBackup.PathOf(backup, file.Path), cancellationToken);
            bytes += length;
            if (length != file.Bytes || sha256 != file.Sha256)
            {
                problem = $"{file.Path} has {length} bytes and SHA-256 {sha256}; the manifest says {file.Bytes} bytes and {file.Sha256}";
                break;
            }
        }

        problem ??= CheckSettings(backup, manifest);
        var chunks = manifest.Files.Where(file => file.Path.StartsWith(LedgerBackup.LedgerFolder + "/", StringComparison.Ordinal)).ToList();
        problem ??= CheckLedger(backup, manifest, chunks, cancellationToken);
        return new BackupVerification(problem, manifest, chunks.Count, bytes);
    }

    private static BackupVerification Invalid(string reason) => new(reason, null, 0, 0);

    private static string? CheckListing(string backup, BackupManifest manifest)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            if (!IsBackupPath(file.Path))
            {
                return $"the manifest lists \"{file.Path}\", which is not a file a backup holds";
            }

            if (!File.Exists(LedgerBackup.PathOf(backup, file.Path)))
            {
                return $"{file.Path} is missing";
            }

            listed.Add(file.Path);
        }

        foreach (var name in LedgerBackup.RootFiles.Where(name => !listed.Contains(name)))
        {
            return $"the manifest does not list {name}";
        }

        foreach (var path in Directory.EnumerateFiles(backup, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(backup, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!listed.Contains(relative) && !Unlisted.Contains(relative))
            {
                return $"{relative} is not in the manifest";
            }
        }

        return null;
    }

    // Only the root files and closed chunks under ledger/: a manifest cannot send the check to
    // read a file outside the backup folder.
    private static bool IsBackupPath(string path) =>
        LedgerBackup.RootFiles.Contains(path)
        || (path.StartsWith(LedgerBackup.LedgerFolder + "/", StringComparison.Ordinal)
            && ClosedChunkFiles.TryParseName(path[(LedgerBackup.LedgerFolder.Length + 1)..], out _, out _));

    private static string? CheckSettings(string backup, BackupManifest manifest)
    {
        var path = Path.Combine(backup, "vellum.json");
        try
        {
            var settings = NodeSettings.Parse(path, File.ReadAllBytes(path));
            return settings.Name == manifest.LedgerName ? null : $"vellum.json names ledger \"{settings.Name}\", the manifest \"{manifest.LedgerName}\"";
        }
        catch (InvalidDataException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>
    /// Checks a backup's chunks as <c>vellum backup verify</c> and <c>vellum recover</c> both do:
    /// they form a ledger prefix from seqno 1 whose every byte, Merkle root and signature checks,
    /// and every signature's node certificate chains to <paramref name="servicePem"/>, the
    /// backup's service certificate, through the endorsements of the changes of service identity
    /// the chunks record (<see cref="LedgerAuditor"/>, as <c>vellum audit --service-cert</c>).
    /// </summary>
    /// <returns>The last signature, or null when there is no chunk; or why the chunks do not check.</returns>
    internal static (SignatureEntry? Last, string? Problem) CheckChunks(IEnumerable<string> chunkPaths, string servicePem, CancellationToken cancellationToken)
    {
        var report = LedgerAuditor.Audit(chunkPaths, new LedgerAuditOptions { ServiceCertificatePem = servicePem }, cancellationToken);
        return report.Failure is { } failure
            ? (null, $"the ledger does not verify against the backup's service_cert.pem: {failure}")
            : (report.LastSignature, null);
    }

    private static string? CheckLedger(string backup, BackupManifest manifest, List<BackupFile> chunks, CancellationToken cancellationToken)
    {
        var servicePem = File.ReadAllText(Path.Combine(backup, "service_cert.pem"));
        var (last, problem) = CheckChunks(chunks.Select(file => LedgerBackup.PathOf(backup, file.Path)), servicePem, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (seqno, view, root) = last is null ? (0L, 0L, null) : (last.Header.Id.Seqno, last.Header.Id.View, last.Root.ToHex());
        return seqno == manifest.LastSeqno && view == manifest.LastView && root == manifest.LastSignedRoot
            ? null
            : $"the chunks end at transaction {view}.{seqno} signing root {root ?? "none"}; the manifest says {manifest.LastView}.{manifest.LastSeqno} and {manifest.LastSignedRoot ?? "none"}";
    }
}
