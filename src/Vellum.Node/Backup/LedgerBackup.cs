using Vellum.Core.Identity;
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
    /// up to the commit index the node last saved in <c>commit_point.json</c>. With
    /// <paramref name="recheck"/>, every chunk the backup holds is hashed against its manifest
    /// entry, and one that no longer matches is copied again; without it a chunk of the right
    /// name and length is taken as is. A chunk copied again must match its manifest entry, since
    /// a committed chunk never changes.
    /// </summary>
    /// <exception cref="BackupException">The folders do not allow a backup, or the data folder's copy of a chunk differs from the one the backup recorded; the message says why.</exception>
    /// <exception cref="IOException">Reading or writing a file failed.</exception>
    public static async Task<BackupResult> RunAsync(string dataDirectory, string backupDirectory, long? committedSeqno = null, bool recheck = false, CancellationToken cancellationToken = default)
    {
        var data = new DataDirectory(dataDirectory);
        var settings = ReadSettings(data);
        var committed = committedSeqno ?? LoadCommitPoint(data);
        var backup = Path.GetFullPath(backupDirectory);
        if (InsideDataFolder(dataDirectory, backupDirectory) is { } problem)
        {
            throw new BackupException(problem);
        }

        // Nothing in the folder is written or removed until it is known to take this backup.
        if (Directory.Exists(backup))
        {
            BackupFolderCheck.RequireOnlyBackupFiles(backup);
        }

        Directory.CreateDirectory(backup);
        using var backupLock = LockBackup(backup);
        var previous = ReadPrevious(backup, settings.Name);
        var chunks = ChunksToBackUp(data, committed);
        var services = ReadServiceCertificates(data);
        var serviceSource = ServiceCertificateFor(data, chunks, services);
        await BackupFolderCheck.RequireSameLedgerAsync(backup, previous, chunks, services.Select(service => service.Pem).ToList(), cancellationToken);
        Directory.CreateDirectory(Path.Combine(backup, LedgerFolder));
        RemoveTemporaryFiles(backup);
        var entries = previous?.Files.ToDictionary(file => file.Path, StringComparer.Ordinal) ?? [];
        var copiedFiles = 0;
        long copiedBytes = 0;
        var repaired = new List<string>();
        foreach (var (source, relative) in Sources(data, serviceSource, chunks))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var destination = Path.Combine(backup, relative);
            var entry = entries.GetValueOrDefault(relative);
            if (await IsAlreadyBackedUpAsync(source, destination, relative, entry, recheck, cancellationToken))
            {
                continue;
            }

            // A committed chunk never changes: copied again, it must be what the backup recorded.
            var recorded = IsChunk(relative) ? entry : null;
            var (bytes, sha256) = await BackupFileCopy.CopyAsync(source, destination, recorded, cancellationToken);
            entries[relative] = new BackupFile(relative, bytes, sha256);
            copiedFiles++;
            copiedBytes += bytes;
            if (recorded is not null)
            {
                repaired.Add(relative);
            }
        }

        var manifest = CreateManifest(backup, settings.Name, entries.Values);
        if (copiedFiles > 0 || previous is null || previous.Files.Count != manifest.Files.Count)
        {
            BackupFileCopy.WriteAtomically(Path.Combine(backup, BackupManifest.FileName), manifest.ToJson());
        }

        return new BackupResult(manifest, copiedFiles, copiedBytes, repaired);
    }

    /// <summary>Why <paramref name="backupDirectory"/> cannot back up <paramref name="dataDirectory"/> because it is that folder or inside it; null when it is outside.</summary>
    public static string? InsideDataFolder(string dataDirectory, string backupDirectory)
    {
        var data = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var backup = Path.TrimEndingDirectorySeparator(Path.GetFullPath(backupDirectory));
        return backup == data || backup.StartsWith(data + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? $"The backup folder {backup} is inside the data folder {data}; choose a folder outside it."
            : null;
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

    // The committed, closed chunks of the ledger, by their path in the backup.
    private static Dictionary<string, string> ChunksToBackUp(DataDirectory data, long committedSeqno)
    {
        var chunks = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(data.Ledger))
        {
            foreach (var path in Directory.EnumerateFiles(data.Ledger))
            {
                var name = Path.GetFileName(path);
                if (ClosedChunkFiles.TryParseName(name, out _, out var last) && last <= committedSeqno)
                {
                    chunks[$"{LedgerFolder}/{name}"] = path;
                }
            }
        }

        return chunks;
    }

    // The folder's service certificate and, in a recovered ledger's folder, the lost service's.
    private static List<(string Path, string Pem)> ReadServiceCertificates(DataDirectory data)
    {
        var services = new List<(string Path, string Pem)> { (data.ServiceCertificate, File.ReadAllText(data.ServiceCertificate)) };
        if (File.Exists(data.PreviousServiceCertificate))
        {
            services.Add((data.PreviousServiceCertificate, File.ReadAllText(data.PreviousServiceCertificate)));
        }

        return services;
    }

    // The service certificate the backup holds is the one its chunks chain to, as recover and
    // verify check. Right after a recovery the closed chunks are all the lost service's until the
    // recovered service's first chunk closes: until then the backup holds the lost service's
    // certificate and is a backup of the ledger as it was recovered.
    private static string ServiceCertificateFor(DataDirectory data, Dictionary<string, string> chunks, List<(string Path, string Pem)> services)
    {
        var newest = chunks.Values.MaxBy(LastSeqnoOf);
        if (newest is null)
        {
            return data.ServiceCertificate;
        }

        var signature = ClosedChunkFiles.ReadLastSignature(newest);
        foreach (var (path, pem) in services)
        {
            if (new ServiceLineage(pem, []).CheckSigner(signature.NodeCertificateDer, signature.Header.Id.Seqno) is null)
            {
                return path;
            }
        }

        throw new BackupException(
            $"The ledger's newest closed, committed chunk, {Path.GetFileName(newest)}, was signed by a node of a service this data folder " +
            "has no certificate of: the node joined a service recovered from a backup whose first chunk has not closed yet. The backup works " +
            "once it has (after --max-chunk-bytes of writes), or back up the recovered node's data folder, which holds the lost service's certificate.");
    }

    private static IEnumerable<(string Source, string Relative)> Sources(DataDirectory data, string serviceCertificate, Dictionary<string, string> chunks)
    {
        yield return (data.Settings, "vellum.json");
        yield return (serviceCertificate, "service_cert.pem");
        foreach (var (relative, path) in chunks.OrderBy(chunk => LastSeqnoOf(chunk.Key)))
        {
            yield return (path, relative);
        }
    }

    private static async Task<bool> IsAlreadyBackedUpAsync(string source, string destination, string relative, BackupFile? entry, bool recheck, CancellationToken cancellationToken)
    {
        if (entry is null || !File.Exists(destination) || new FileInfo(destination).Length != entry.Bytes)
        {
            return false;
        }

        // A committed closed chunk never changes, and its name says which entries it holds: one of
        // the same name and length is the same file, and is not read again at every run unless
        // asked (the verification rereads the backup's copy). The small root files can change,
        // and are hashed.
        if (IsChunk(relative))
        {
            return recheck ? await BackupFileCopy.MatchesAsync(destination, entry, cancellationToken) : new FileInfo(source).Length == entry.Bytes;
        }

        return await BackupFileCopy.MatchesAsync(source, entry, cancellationToken);
    }

    private static bool IsChunk(string relative) => relative.StartsWith(LedgerFolder + "/", StringComparison.Ordinal);

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

    /// <summary>The last seqno a closed chunk's name (a path ending in it) says it holds; -1 for any other name.</summary>
    internal static long LastSeqnoOf(string path) =>
        ClosedChunkFiles.TryParseName(Path.GetFileName(path), out _, out var last) ? last : -1;
}
