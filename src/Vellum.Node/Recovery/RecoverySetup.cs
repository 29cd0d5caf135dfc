using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Vellum.Consensus;
using Vellum.Node.Backup;
using Vellum.Node.Replication;
using Vellum.Node.Setup;
using Vellum.Storage;

namespace Vellum.Node.Recovery;

/// <summary>
/// Makes a data folder from a backup for <c>vellum recover</c>: the backup is verified as
/// <c>vellum backup verify</c> does (<see cref="BackupVerifier"/>: every signer chains to the
/// backup's service certificate), its chunks and that certificate are copied in and must be the
/// bytes verified, and the ledger is opened (which checks every chunk); then a new service
/// identity and node key are made, the consensus term is set past the ledger's last view, and the
/// settings, written last, record where the restored ledger ends. All of it is written under the
/// <see cref="FolderCreation"/> mark, and removed again when the recovery fails, so that a refused
/// or failed recovery leaves the folder as it found it. No secret is in the folder yet:
/// <see cref="RecoveryHost"/> collects the members' shares on the next start.
/// </summary>
public static class RecoverySetup
{
    /// <summary>Prepares <see cref="NodeOptions.DataDirectory"/> from <paramref name="backupDirectory"/>; returns the last seqno restored.</summary>
    /// <exception cref="NodeStartException">The backup is invalid or not of a Vellum ledger, or the folder already holds a ledger or a ledger's files; the message says why.</exception>
    public static async Task<long> PrepareAsync(string backupDirectory, NodeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var verification = await BackupVerifier.VerifyAsync(backupDirectory, cancellationToken);
        if (!verification.IsValid)
        {
            throw new NodeStartException($"The backup {Path.GetFullPath(backupDirectory)} cannot be recovered from: {verification.Reason}");
        }

        var directory = new DataDirectory(options.DataDirectory);
        var folderExisted = Directory.Exists(directory.Root);
        directory.Create();
        var lockExisted = File.Exists(Path.Combine(directory.Root, "LOCK"));
        var restored = false;
        try
        {
            using var folderLock = directory.Lock();
            BeginRecovery(directory);
            try
            {
                var lastSeqno = await RestoreAsync(backupDirectory, verification.Manifest!, directory, options, cancellationToken);
                restored = true;
                return lastSeqno;
            }
            catch
            {
                // A refused or failed recovery leaves no half-made ledger for the next attempt,
                // vellum start or vellum delete to trip over. BeginRecovery refused a folder with
                // vellum.json, so one there now is this recovery's, written before it failed.
                directory.Delete(directory.Settings);
                FolderCreation.Undo(directory);
                FolderCreation.Complete(directory);
                throw;
            }
        }
        finally
        {
            if (!restored)
            {
                RemoveIfMadeHere(directory, folderExisted, lockExisted);
            }
        }
    }

    // Recovery makes a new folder: one with a ledger's files is refused, unless they are what an
    // interrupted first start or recovery left, which the creation mark says.
    private static void BeginRecovery(DataDirectory directory)
    {
        var found = FolderCreation.ExistingFiles(directory);
        if (File.Exists(directory.Settings) || (found.Contains("ledger/") && FolderCreation.Interrupted(directory) != FolderCreation.Recovery))
        {
            throw new NodeStartException($"{directory.Root} already holds a ledger; recover into a new, empty folder.");
        }

        if (found.Count > 0 && FolderCreation.Interrupted(directory) is null)
        {
            throw FolderCreation.Refusal(directory, found, "vellum recover");
        }

        FolderCreation.Undo(directory);
        FolderCreation.Begin(directory, FolderCreation.Recovery);
    }

    private static async Task<long> RestoreAsync(string backupDirectory, BackupManifest manifest, DataDirectory directory, NodeOptions options, CancellationToken cancellationToken)
    {
        var settingsBytes = await File.ReadAllBytesAsync(Path.Combine(backupDirectory, "vellum.json"), cancellationToken);
        RequireAsVerified(manifest.Files.Single(file => file.Path == "vellum.json"), Digest(settingsBytes));
        var backupSettings = NodeSettings.Parse(Path.Combine(backupDirectory, "vellum.json"), settingsBytes);
        Directory.CreateDirectory(directory.Ledger);
        foreach (var chunk in manifest.Files.Where(file => file.Path.StartsWith(LedgerBackup.LedgerFolder + "/", StringComparison.Ordinal)))
        {
            var copied = await BackupFileCopy.CopyAsync(LedgerBackup.PathOf(backupDirectory, chunk.Path), Path.Combine(directory.Ledger, Path.GetFileName(chunk.Path)), expected: null, cancellationToken);
            RequireAsVerified(chunk, copied);
        }

        var previousPem = await File.ReadAllBytesAsync(Path.Combine(backupDirectory, "service_cert.pem"), cancellationToken);
        RequireAsVerified(manifest.Files.Single(file => file.Path == "service_cert.pem"), Digest(previousPem));
        directory.WritePublic(directory.PreviousServiceCertificate, previousPem);
        var (lastSeqno, lastView) = await CheckLedgerAsync(directory, options, cancellationToken);
        new FileHardStateStore(directory).Save(new HardState(lastView, null));
        var (service, node) = NodeSetup.CreateIdentities(directory, backupSettings.Name, options, options.TimeProvider.GetUtcNow());
        service.Dispose();
        node.Dispose();
        var settings = backupSettings with { Joined = false, RecoveredAfterSeqno = lastSeqno };
        directory.WritePublic(directory.Settings, settings.ToJson());
        FolderCreation.Complete(directory);
        return lastSeqno;
    }

    // Once the lock is released, its file goes when this recovery made it, and so does the folder
    // when this recovery made it and it is empty.
    private static void RemoveIfMadeHere(DataDirectory directory, bool folderExisted, bool lockExisted)
    {
        if (!lockExisted)
        {
            File.Delete(Path.Combine(directory.Root, "LOCK"));
        }

        if (!folderExisted && !Directory.EnumerateFileSystemEntries(directory.Root).Any())
        {
            Directory.Delete(directory.Root);
        }
    }

    /// <summary>Whether the folder holds a restored ledger whose secrets the members have not given back yet.</summary>
    internal static bool AwaitsShares(DataDirectory directory) =>
        File.Exists(directory.Settings)
        && !File.Exists(directory.ServiceSecret)
        && NodeSettings.Parse(directory.Settings, File.ReadAllBytes(directory.Settings)).RecoveredAfterSeqno is not null;

    // The verification checked the backup's signers against its service certificate
    // (BackupVerifier.CheckChunks); the copies must be the very bytes it checked.
    private static (long Bytes, string Sha256) Digest(byte[] bytes) => (bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));

    private static void RequireAsVerified(BackupFile verified, (long Bytes, string Sha256) copied)
    {
        if (copied.Bytes != verified.Bytes || copied.Sha256 != verified.Sha256)
        {
            throw new NodeStartException($"The backup's {verified.Path} changed while it was recovered from: it no longer matches the manifest. Recover again once nothing writes to the backup.");
        }
    }

    private static async Task<(long LastSeqno, long LastView)> CheckLedgerAsync(DataDirectory directory, NodeOptions options, CancellationToken cancellationToken)
    {
        await using var ledger = await Ledger.OpenAsync(options.LedgerOptionsFor(directory.Ledger), cancellationToken);
        if (ledger.LastSeqno == 0)
        {
            throw new NodeStartException("The backup holds no signed transaction: there is nothing to recover.");
        }

        return (ledger.LastSeqno, ledger.LastView);
    }
}
