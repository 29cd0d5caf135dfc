using Vellum.Core;
using Vellum.Core.Entries;

namespace Vellum.Storage;

/// <summary>The Merkle leaf of a stored entry: its header's leaf over the SHA-256 of its bytes.</summary>
internal static class EntryLeaf
{
    public static Sha256Hash Of(ReadOnlySpan<byte> entry) => EntryCodec.ReadHeader(entry).Leaf(Sha256Hash.Of(entry));
}
