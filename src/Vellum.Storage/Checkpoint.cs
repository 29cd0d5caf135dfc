using System.Buffers.Binary;
using Vellum.Core;
using Vellum.Storage.Files;

namespace Vellum.Storage;

/// <summary>
/// A promise that the Merkle node file's first <c>NodeCount(TreeSize / 64)</c> nodes (the stored
/// ones of a tree of <see cref="TreeSize"/> leaves, see <see cref="LedgerNodeStore"/>) are durable
/// and, with the entries, give <see cref="Root"/>. Written after a chunk closes; on open it lets
/// the tree be restored without rehashing the ledger, and it is then checked against the last
/// signed root in the chunk files before anything relies on it.
/// </summary>
internal readonly record struct Checkpoint(long TreeSize, Sha256Hash Root)
{
    public const string FileName = "checkpoint";
    private const string TemporaryFileName = "checkpoint.tmp";
    private const int Size = 64;
    private const uint FormatVersion = 3;
    private static ReadOnlySpan<byte> Magic => "VLMCKPT1"u8;

    /// <summary>Reads the checkpoint; null (with the reason) when it is missing or damaged.</summary>
    public static Checkpoint? Load(IStorageFileSystem fileSystem, string directory, out string? problem)
    {
        var path = Path.Combine(directory, FileName);
        problem = null;
        if (!fileSystem.FileExists(path))
        {
            problem = "there is no checkpoint";
            return null;
        }

        Span<byte> bytes = stackalloc byte[Size];
        using (var file = fileSystem.OpenExisting(path))
        {
            if (file.Length != Size || file.Read(bytes, 0) != Size)
            {
                problem = "the checkpoint has the wrong size";
                return null;
            }
        }

        if (!bytes[..8].SequenceEqual(Magic)
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes[60..]) != Crc32C.Compute(bytes[..60])
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) != FormatVersion)
        {
            problem = "the checkpoint is damaged or of another format version";
            return null;
        }

        var treeSize = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        if (treeSize < 1)
        {
            problem = $"the checkpoint's tree size {treeSize} is impossible";
            return null;
        }

        return new Checkpoint(treeSize, new Sha256Hash(bytes.Slice(24, Sha256Hash.Size)));
    }

    /// <summary>Replaces the checkpoint atomically; the caller syncs the directory afterwards.</summary>
    public void Save(IStorageFileSystem fileSystem, string directory)
    {
        Span<byte> bytes = stackalloc byte[Size];
        bytes.Clear();
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[16..], TreeSize);
        Root.CopyTo(bytes[24..]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[60..], Crc32C.Compute(bytes[..60]));
        var temporary = Path.Combine(directory, TemporaryFileName);
        using (var file = fileSystem.OpenOrCreate(temporary))
        {
            file.SetLength(0);
            file.Write(bytes, 0);
            file.Sync();
        }

        fileSystem.Rename(temporary, Path.Combine(directory, FileName));
    }

    /// <summary>Removes a temporary file left by a save that did not finish.</summary>
    public static void RemoveLeftovers(IStorageFileSystem fileSystem, string directory) =>
        fileSystem.Delete(Path.Combine(directory, TemporaryFileName));
}
