namespace Vellum.Storage.Files;

/// <summary>
/// The file operations storage performs, and nothing more, so that a simulated file system can
/// model exactly what survives a power loss. Paths are absolute or relative to the process.
/// </summary>
/// <remarks>
/// Durability follows POSIX: a file's bytes survive a power loss once <see cref="IStorageFile.Sync"/>
/// returned; a created, renamed or deleted name survives once <see cref="SyncDirectory"/> of its
/// directory returned. Anything else may or may not survive, in part or in whole.
/// </remarks>
public interface IStorageFileSystem
{
    /// <summary>Opens a file for reading and writing, creating it empty when it does not exist.</summary>
    IStorageFile OpenOrCreate(string path);

    /// <summary>Opens an existing file for reading and writing.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    IStorageFile OpenExisting(string path);

    /// <summary>True when a file exists at <paramref name="path"/>.</summary>
    bool FileExists(string path);

    /// <summary>The names (not paths) of the files directly inside <paramref name="directory"/>.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    /// <summary>True when a directory exists at <paramref name="path"/>.</summary>
    bool DirectoryExists(string path);

    /// <summary>Creates a directory and its parents when missing.</summary>
    void CreateDirectory(string path);

    /// <summary>Renames a file, atomically replacing any file at <paramref name="destination"/>.</summary>
    void Rename(string source, string destination);

    /// <summary>Deletes a file if it exists.</summary>
    void Delete(string path);

    /// <summary>Makes the directory's entries (creations, renames, deletions) durable.</summary>
    void SyncDirectory(string path);

    /// <summary>
    /// Takes an exclusive lock on <paramref name="directory"/> held until the result is disposed,
    /// so that two processes never write one ledger.
    /// </summary>
    /// <exception cref="IOException">Another holder has the lock.</exception>
    IDisposable LockDirectory(string directory);
}
