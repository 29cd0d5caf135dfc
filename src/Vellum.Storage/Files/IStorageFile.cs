namespace Vellum.Storage.Files;

/// <summary>
/// An open file addressed by offset. Reads and writes at different offsets may run concurrently.
/// The handle keeps referring to the same file when the file is renamed.
/// </summary>
public interface IStorageFile : IDisposable
{
    /// <summary>The file's current length in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <c>destination.Length</c> bytes at <paramref name="offset"/>; fewer only at the end of the file.</summary>
    int Read(Span<byte> destination, long offset);

    /// <summary>Writes all of <paramref name="source"/> at <paramref name="offset"/>, extending the file if needed.</summary>
    void Write(ReadOnlySpan<byte> source, long offset);

    /// <summary>Truncates or extends the file.</summary>
    void SetLength(long length);

    /// <summary>Makes the file's contents durable (fsync); returns only once they are.</summary>
    void Sync();
}
