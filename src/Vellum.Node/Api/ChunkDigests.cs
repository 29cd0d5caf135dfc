using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Vellum.Node.Api;

/// <summary>
/// The SHA-256 of each committed, closed chunk file, computed once by streaming the file and then
/// remembered: such a file never changes (a truncation never removes committed entries), so its
/// name and length name its bytes. Bounded by the number of chunk files, 40 bytes each.
/// </summary>
internal sealed class ChunkDigests
{
    private const int BufferBytes = 1 << 20;
    private readonly ConcurrentDictionary<(string Name, long Length), byte[]> _digests = new();

    /// <summary>The SHA-256 of the committed, closed chunk file at <paramref name="path"/>, <paramref name="length"/> bytes long.</summary>
    public async Task<byte[]> OfAsync(string path, long length, CancellationToken cancellationToken)
    {
        var key = (Path.GetFileName(path), length);
        if (_digests.TryGetValue(key, out var digest))
        {
            return digest;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, Options = FileOptions.Asynchronous | FileOptions.SequentialScan, BufferSize = 0 }))
        {
            var buffer = new byte[BufferBytes];
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        digest = hash.GetHashAndReset();
        _digests.TryAdd(key, digest);
        return digest;
    }
}
