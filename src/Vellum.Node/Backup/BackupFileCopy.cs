using System.Security.Cryptography;
using Vellum.Storage.Files;

namespace Vellum.Node.Backup;

/// <summary>
/// Copies and hashes the files of a backup. A copy is written to a temporary name, fsynced,
/// renamed over its final name and the folder fsynced, so that a crash leaves either no file or
/// the whole file under its name.
/// </summary>
internal static class BackupFileCopy
{
    /// <summary>The suffix of a copy being written; such files are removed when a backup starts.</summary>
    public const string TemporarySuffix = ".tmp";

    private const int BufferBytes = 1024 * 1024;

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> atomically and returns the
    /// SHA-256 of the bytes written, hex. With <paramref name="expected"/>, a copy that differs from
    /// it is removed before it replaces anything.
    /// </summary>
    /// <exception cref="BackupException">The copy differs from <paramref name="expected"/>.</exception>
    public static async Task<(long Bytes, string Sha256)> CopyAsync(string source, string destination, BackupFile? expected, CancellationToken cancellationToken)
    {
        var temporary = destination + TemporarySuffix;
        File.Delete(temporary);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        await using (var input = OpenRead(source))
        await using (var output = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous }))
        {
            var buffer = new byte[BufferBytes];
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                bytes += read;
            }

            output.Flush(flushToDisk: true);
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (expected is not null && (bytes != expected.Bytes || sha256 != expected.Sha256))
        {
            File.Delete(temporary);
            throw new BackupException(
                $"{source} no longer matches the copy the backup recorded ({expected.Bytes} bytes, SHA-256 {expected.Sha256}; it has {bytes} bytes, " +
                $"SHA-256 {sha256}). A committed chunk never changes, so the data folder's copy is damaged: check it with vellum audit. " +
                "Nothing in the backup was replaced.");
        }

        File.Move(temporary, destination, overwrite: true);
        DiskFileSystem.Instance.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        return (bytes, sha256);
    }

    /// <summary>Whether the file at <paramref name="path"/> has the length and SHA-256 <paramref name="entry"/> records.</summary>
    public static async Task<bool> MatchesAsync(string path, BackupFile entry, CancellationToken cancellationToken)
    {
        var (bytes, sha256) = await HashAsync(path, cancellationToken);
        return bytes == entry.Bytes && sha256 == entry.Sha256;
    }

    /// <summary>Writes <paramref name="contents"/> to <paramref name="destination"/> atomically.</summary>
    public static void WriteAtomically(string destination, ReadOnlySpan<byte> contents)
    {
        var temporary = destination + TemporarySuffix;
        File.Delete(temporary);
        using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            output.Write(contents);
            output.Flush(flushToDisk: true);
        }

        File.Move(temporary, destination, overwrite: true);
        DiskFileSystem.Instance.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
    }

    /// <summary>The SHA-256 of the file at <paramref name="path"/>, hex, and its length.</summary>
    public static async Task<(long Bytes, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var input = OpenRead(path);
        var digest = await SHA256.HashDataAsync(input, cancellationToken);
        return (input.Length, Convert.ToHexStringLower(digest));
    }

    // A node may hold the file open for writing (its settings, never a closed chunk); reading
    // beside it must not fail.
    private static FileStream OpenRead(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, Options = FileOptions.Asynchronous | FileOptions.SequentialScan });
}
