namespace Vellum.Node.Sequencing;

/// <summary>One validated write of a batch: its collection, tags and contents, the same at any seqno.</summary>
internal sealed record BatchWrite(string CollectionId, IReadOnlyList<string> Tags, ReadOnlyMemory<byte> ContentsUtf8) : IEntryWrite
{
    public ReadOnlyMemory<byte> ContentsAt(long seqno) => ContentsUtf8;
}
