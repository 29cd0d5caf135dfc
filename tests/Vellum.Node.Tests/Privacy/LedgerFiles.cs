using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Vellum.Node.Tests.Privacy;

/// <summary>Looks through, and tampers with, the raw files of a data folder's <c>ledger/</c> directory.</summary>
internal static class LedgerFiles
{
    private const int ChunkHeaderBytes = 32;
    private const int RecordFrameBytes = 12;

    /// <summary>The ledger files (every file under <c>ledger/</c>) whose bytes contain <paramref name="text"/>.</summary>
    public static List<string> Containing(string dataDirectory, string text) => ContainingBytes(dataDirectory, Encoding.UTF8.GetBytes(text));

    /// <summary>The ledger files (every file under <c>ledger/</c>) whose bytes contain <paramref name="needle"/>.</summary>
    public static List<string> ContainingBytes(string dataDirectory, byte[] needle)
    {
        var files = Directory.GetFiles(Path.Combine(dataDirectory, "ledger"), "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        return files.Where(file => File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0).ToList();
    }

    /// <summary>
    /// Flips one ciphertext byte of the private write to <paramref name="collectionId"/> (which
    /// has no tags) and fixes its record's CRC-32C, as someone with write access to the disk
    /// could, so that only the AES-GCM tag can tell.
    /// </summary>
    public static void FlipCiphertextByte(string dataDirectory, string collectionId)
    {
        var collection = Encoding.UTF8.GetBytes(collectionId);
        foreach (var file in Directory.GetFiles(Path.Combine(dataDirectory, "ledger"), "ledger_*"))
        {
            var bytes = File.ReadAllBytes(file);
            var at = bytes.AsSpan().IndexOf(collection);
            if (at < 0)
            {
                continue;
            }

            // Collection id (stored in full at its first use in a chunk), tag count (0), secret
            // version (u32), plaintext length (u32), then ciphertext.
            var ciphertext = at + collection.Length + 1 + 4 + 4;
            bytes[ciphertext + 5] ^= 0x20;

            // The record holding it: records follow one another from the chunk header on.
            var record = ChunkHeaderBytes;
            var payloadBytes = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(record + 4));
            while (record + RecordFrameBytes + payloadBytes <= at)
            {
                record += RecordFrameBytes + payloadBytes;
                payloadBytes = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(record + 4));
            }

            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(record), Crc32C(bytes.AsSpan(record + 4, 8 + payloadBytes)));
            File.WriteAllBytes(file, bytes);
            return;
        }

        Assert.Fail($"No ledger file holds collection {collectionId}.");
    }

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var state = uint.MaxValue;
        foreach (var value in data)
        {
            state = BitOperations.Crc32C(state, value);
        }

        return ~state;
    }
}
