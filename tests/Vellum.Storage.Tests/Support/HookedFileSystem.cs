using Vellum.Storage.Files;

namespace Vellum.Storage.Tests.Support;

/// <summary>
/// Passes every operation to a <see cref="SimulatedFileSystem"/>, but first lets a test run code
/// when a file is read, so that it can change the ledger at an exact point of a read.
/// </summary>
internal sealed class HookedFileSystem(SimulatedFileSystem disk) : ForwardingFileSystem(disk)
{
    /// <summary>Runs before each read, with the path the file was opened by.</summary>
    public Action<string>? BeforeRead { get; set; }

    protected override IStorageFile Wrap(string path, IStorageFile file) => new HookedFile(this, path, file);

    private sealed class HookedFile(HookedFileSystem owner, string path, IStorageFile file) : ForwardingFile(file)
    {
        public override int Read(Span<byte> destination, long offset)
        {
            owner.BeforeRead?.Invoke(path);
            return base.Read(destination, offset);
        }
    }
}
