using Vellum.Node.Replication;
using Vellum.Node.Setup;
using Vellum.Storage;
using Vellum.Storage.Files;

namespace Vellum.Node.Backup;

/// <summary>
/// Copies a data folder's committed, closed ledger chunks and its public identity into a backup
/// folder, and writes the backup's manifest last. Safe beside a running node: a closed chunk whose
/// entries are all committed is never written again (truncations never remove committed entries),
/// and the other files copied are replaced atomically by the node. Private keys and the service
/// secret are not copied (docs/threat-model.md). Incremental: a file the backup already holds
/// is not copied again. <c>vellum backup</c> and the node's scheduled backup both run this.
/// </summary>
public static class LedgerBackup
{
    /// <summary>The backup's folder of chunk files, and the data folder's.</summary>
    public const string LedgerFolder = "ledger";

    /// <summary>The files of the data folder's root a backup holds: the settings and the service certificate.</summary>
    public static IReadOnlyList<string> RootFiles { get; } = ["vellum.json", "service_cert.pem"];

    /// <summary>
    /// Backs up <paramref name="dataDirectory"/> into <paramref name="backupDirectory"/>, creating it
    /// when missing. Only chunks up to <paramref name="committedSeqno"/> are copied; when it is null,
    /// up to the commit index the node last saved in <c>commit_point.json</c>.
    /// </summary>
    /// <exception cref="BackupException">The folders do not allow a backup; the message says why.</exception>
    /// <exception cref="IOException">Reading or writing a file failed.</exception>
    public static async Task<BackupResult> RunAsync(string dataDirectory, string backupDirectory, long? committedSeqno = null, CancellationToken cancellationToken = default)
    {
        var data = new DataDirectory(dataDirectory);
        var settings = ReadSettings(data);
        var committed = committedSeqno ?? LoadCommitPoint(data);
        var backup = Path.GetFullPath(backupDirectory);
        if (backup == data.Root || backup.StartsWith(data.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new BackupException($"The backup folder {backup} is inside the data folder {data.Root}; choose a folder outside it.");
        }

        Directory.CreateDirectory(Path.Combine(backup, LedgerFolder));
        using var backupLock = LockBackup(backup);
        RemoveTemporaryFiles(backup);
        var previous = ReadPrevious(backup, settings.Name);
        var entries = previous?.Files.ToDictionary(file => file.Path, StringComparer.Ordinal) ?? [];
        var copiedFiles = 0;
        long copiedBytes = 0;
        foreach (var (source, relative) in Sources(data, committed))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var destination = Path.Combine(backup, relative);
            if (await IsAlreadyBackedUpAsync(source, destination, relative, entries.GetValueOrDefault(relative), cancellationToken))
            {
                continue;
            }

            var (bytes, sha256) = await BackupFileCopy.CopyAsync(source, destination, cancellationToken);
            entries[relative] = new BackupFile(relative, bytes, sha256);
            copiedFiles++;
            copiedBytes += bytes;
        }

        var manifest = CreateManifest(backup, settings.Name, entries.Values);
        if (copiedFiles > 0 || previous is null || previous.Files.Count != manifest.Files.Count)
        {
            BackupFileCopy.WriteAtomically(Path.Combine(backup, BackupManifest.FileName), manifest.ToJson());
        }

        return new BackupResult(manifest, copiedFiles, copiedBytes);
    }

    /// <summary>The path of a manifest entry inside <paramref name="backupDirectory"/>.</summary>
    internal static string PathOf(string backupDirectory, string relative) => Path.Combine(backupDirectory, relative.Replace('/', Path.DirectorySeparatorChar));

    private static NodeSettings ReadSettings(DataDirectory data)
    {
        if (!File.Exists(data.Settings))
        {
            throw new BackupException($"{data.Root} is not a Vellum data folder: it has no vellum.json.");
        }

        try
        {
            return NodeSettings.Parse(data.Settings, File.ReadAllBytes(data.Settings));
        }
        catch (InvalidDataException exception)
        {
            throw new BackupException(exception.Message, exception);
        }
    }

    private static long LoadCommitPoint(DataDirectory data)
    {
        try
        {
            return CommitPointKeeper.Load(data);
        }
        catch (NodeStartException exception)
        {
            throw new BackupException(exception.Message, exception);
        }
    }

    private static IDisposable LockBackup(string backup)
    {
        try
        {
            return DiskFileSystem.Instance.LockDirectory(backup);
        }
        catch (IOException exception)
        {
            throw new BackupException($"Another backup is writing to {backup}.", exception);
        }
    }

    private static void RemoveTemporaryFiles(string backup)
    {
        // A backup cut short leaves at most a copy being written under a temporary name.
        foreach (var folder in new[] { backup, Path.Combine(backup, LedgerFolder) })
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*" + BackupFileCopy.TemporarySuffix))
            {
                File.Delete(file);
            }
        }
    }

    private static BackupManifest? ReadPrevious(string backup, string ledgerName)
    {
        var path = Path.Combine(backup, BackupManifest.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        BackupManifest manifest;
        try
        {
            manifest = BackupManifest.Parse(File.ReadAllBytes(path));
        }
        catch (InvalidDataException exception)
        {
            throw new BackupException($"{path} cannot be read: {exception.Message}.", exception);
        }

        return manifest.LedgerName == ledgerName
            ? manifest
            : throw new BackupException($"{backup} holds a backup of ledger \"{manifest.LedgerName}\", not \"{ledgerName}\"; choose another folder.");
    }

    private static IEnumerable<(string Source, string Relative)> Sources(DataDirectory data, long committedSeqno)
    {
        foreach (var name in RootFiles)
        {
            yield return (Path.Combine(data.Root, name), name);
        }

        var chunks = new List<(long First, string Name)>();
        if (Directory.Exists(data.Ledger))
        {
            foreach (var path in Directory.EnumerateFiles(data.Ledger))
            {
                var name = Path.GetFileName(path);
                if (ClosedChunkFiles.TryParseName(name, out var first, out var last) && last <= committedSeqno)
                {
                    chunks.Add((first, name));
                }
            }
        }

        foreach (var (_, name) in chunks.OrderBy(chunk => chunk.First))
        {
            yield return (Path.Combine(data.Ledger, name), $"{LedgerFolder}/{name}");
        }
    }

    private static async Task<bool> IsAlreadyBackedUpAsync(string source, string destination, string relative, BackupFile? entry, CancellationToken cancellationToken)
    {
        if (entry is null || !File.Exists(destination) || new FileInfo(destination).Length != entry.Bytes)
        {
            return false;
        }

        // A committed closed chunk never changes, and its name says which entries it holds: one of
        // the same name and length is the same file, and is not read again at every run (the
        // verification rereads the backup's copy). The small root files can change, and are hashed.
        if (relative.StartsWith(LedgerFolder + "/", StringComparison.Ordinal))
        {
            return new FileInfo(source).Length == entry.Bytes;
        }

        var (bytes, sha256) = await BackupFileCopy.HashAsync(source, cancellationToken);
        return bytes == entry.Bytes && sha256 == entry.Sha256;
    }

    private static BackupManifest CreateManifest(string backup, string ledgerName, IEnumerable<BackupFile> files)
    {
        var ordered = files.OrderBy(file => file.Path, StringComparer.Ordinal).ToList();
        var lastChunk = ordered
            .Where(file => ClosedChunkFiles.TryParseName(Path.GetFileName(file.Path), out _, out _) && file.Path.StartsWith(LedgerFolder + "/", StringComparison.Ordinal))
            .Select(file => (Path: file.Path, Last: LastSeqnoOf(file.Path)))
            .OrderBy(chunk => chunk.Last)
            .LastOrDefault();
        if (lastChunk.Path is null)
        {
            return new BackupManifest(ledgerName, 0, 0, null, ordered);
        }

        var signature = ClosedChunkFiles.ReadLastSignature(PathOf(backup, lastChunk.Path));
        return new BackupManifest(ledgerName, signature.Header.Id.Seqno, signature.Header.Id.View, signature.Root.ToHex(), ordered);
    }

    private static long LastSeqnoOf(string relative) =>
        ClosedChunkFiles.TryParseName(Path.GetFileName(relative), out _, out var last) ? last : -1;
}
