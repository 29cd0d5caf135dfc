using Vellum.Storage.Files;
using Vellum.Storage.Tests.Support;

namespace Vellum.Node.Tests.Support;

/// <summary>Passes every operation to another file system until <see cref="Fill"/>; from then on a write that would add bytes fails as on a full disk.</summary>
internal sealed class FullDiskFileSystem(IStorageFileSystem disk) : ForwardingFileSystem(disk)
{
    private volatile bool _full;

    /// <summary>The disk is full from now on.</summary>
    public void Fill() => _full = true;

    protected override IStorageFile Wrap(string path, IStorageFile file) => new FullDiskFile(this, file);

    private void ThrowIfFull()
    {
        if (_full)
        {
            throw new IOException("No space left on device");
        }
    }

    private sealed class FullDiskFile(FullDiskFileSystem owner, IStorageFile file) : ForwardingFile(file)
    {
        public override void Write(ReadOnlySpan<byte> source, long offset)
        {
            owner.ThrowIfFull();
            base.Write(source, offset);
        }

        public override void SetLength(long length)
        {
            if (length > Length)
            {
                owner.ThrowIfFull();
            }

            base.SetLength(length);
        }
    }
}
