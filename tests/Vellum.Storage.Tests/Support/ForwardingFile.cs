using Vellum.Storage.Files;

namespace Vellum.Storage.Tests.Support;

/// <summary>Passes every operation to another file; a test's file overrides only what it changes (see <see cref="ForwardingFileSystem"/>).</summary>
internal abstract class ForwardingFile(IStorageFile file) : IStorageFile
{
    public long Length => file.Length;

    public virtual int Read(Span<byte> destination, long offset) => file.Read(destination, offset);

    public virtual void Write(ReadOnlySpan<byte> source, long offset) => file.Write(source, offset);

    public virtual void SetLength(long length) => file.SetLength(length);

    public virtual void Sync() => file.Sync();

    public void Dispose() => file.Dispose();
}
