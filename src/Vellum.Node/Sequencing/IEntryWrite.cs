namespace Vellum.Node.Sequencing;

/// <summary>What the sequencer reads to append one write: its collection, its tags and its contents at the seqno it gets.</summary>
internal interface IEntryWrite
{
    string CollectionId { get; }

    IReadOnlyList<string> Tags { get; }

    /// <summary>The contents the write has at <paramref name="seqno"/>.</summary>
    /// <exception cref="WriteAbandonedException">The write no longer applies there.</exception>
    ReadOnlyMemory<byte> ContentsAt(long seqno);
}
