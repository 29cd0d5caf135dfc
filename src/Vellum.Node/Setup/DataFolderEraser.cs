using System.Security.Cryptography;
using Vellum.Storage.Files;

namespace Vellum.Node.Setup;

/// <summary>
/// Hard delete (<c>vellum delete</c>): erases a stopped node's data folder. Takes the folder's and
/// the ledger's locks first, so that it refuses while a node runs on them; overwrites every file
/// holding key material with random bytes and fsyncs it before unlinking it; then removes the
/// ledger files and the folder. Overwriting in place is what a program can do; what it does not
/// guarantee on journaling, copy-on-write and flash storage is in docs/threat-model.md.
/// </summary>
public static class DataFolderEraser
{
    /// <summary>
    /// The ledger name in the folder's <c>vellum.json</c>: what the confirmation asks the user to
    /// type. Null for a folder whose creation was interrupted (it holds the <c>CREATING</c> mark and
    /// no <c>vellum.json</c>, and perhaps keys already): it is erased too, and has no name yet.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder is not a Vellum data folder, or is a backup.</exception>
    public static string? ReadLedgerName(string dataDirectory)
    {
        var data = new DataDirectory(dataDirectory);
        if (File.Exists(Path.Combine(data.Root, Backup.BackupManifest.FileName)))
        {
            throw new InvalidDataException(
                $"{data.Root} is a backup (it holds {Backup.BackupManifest.FileName}), not a data folder: vellum delete erases data folders only. " +
                "Remove a backup you no longer need with the tools you remove other files with. Nothing was deleted.");
        }

        if (!File.Exists(data.Settings))
        {
            return FolderCreation.Interrupted(data) is not null
                ? null
                : throw new InvalidDataException($"{data.Root} is not a Vellum data folder: it has no vellum.json. Nothing was deleted.");
        }

        return NodeSettings.Parse(data.Settings, File.ReadAllBytes(data.Settings)).Name;
    }

    /// <summary>Erases the data folder <paramref name="dataDirectory"/>, which must hold a ledger or an interrupted creation of one.</summary>
    /// <exception cref="InvalidDataException">The folder is not a Vellum data folder; nothing was deleted.</exception>
    /// <exception cref="NodeStartException">A node runs on the folder; nothing was deleted.</exception>
    /// <exception cref="IOException">Overwriting or deleting a file failed; the erase may be partial.</exception>
    public static void Erase(string dataDirectory)
    {
        _ = ReadLedgerName(dataDirectory);
        var data = new DataDirectory(dataDirectory);
        using (LockFolder(data))
        using (LockLedger(data))
        {
            foreach (var path in data.SecretFiles)
            {
                Overwrite(path);
            }

            // Temporary files of an interrupted atomic write may hold a secret too.
            foreach (var temporary in Directory.EnumerateFiles(data.Root, "*.tmp"))
            {
                Overwrite(temporary);
            }

            foreach (var path in Directory.EnumerateFiles(data.Root, "*", SearchOption.AllDirectories))
            {
                File.Delete(path);
            }
        }

        Directory.Delete(data.Root, recursive: true);
        if (Path.GetDirectoryName(data.Root) is { } parent)
        {
            DiskFileSystem.Instance.SyncDirectory(parent);
        }
    }

    private static IDisposable LockFolder(DataDirectory data)
    {
        try
        {
            return data.Lock();
        }
        catch (NodeStartException exception)
        {
            throw new NodeStartException($"A node is running on {data.Root}; stop it first. Nothing was deleted.", exception);
        }
    }

    private static IDisposable? LockLedger(DataDirectory data)
    {
        if (!Directory.Exists(data.Ledger))
        {
            return null;
        }

        try
        {
            return DiskFileSystem.Instance.LockDirectory(data.Ledger);
        }
        catch (IOException exception)
        {
            throw new NodeStartException($"A node is running on {data.Root} (its ledger is locked); stop it first. Nothing was deleted.", exception);
        }
    }

    private static void Overwrite(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
        var remaining = stream.Length;
        var noise = new byte[(int)Math.Min(remaining, 64 * 1024)];
        while (remaining > 0)
        {
            RandomNumberGenerator.Fill(noise);
            var count = (int)Math.Min(remaining, noise.Length);
            stream.Write(noise, 0, count);
            remaining -= count;
        }

        stream.Flush(flushToDisk: true);
    }
}
