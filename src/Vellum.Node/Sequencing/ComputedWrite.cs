namespace Vellum.Node.Sequencing;

/// <summary>
/// One write of a batch whose contents are made, on the sequencer's thread, for the seqno it gets
/// (a ledger secret record names the seqno after it); making them may throw
/// <see cref="WriteAbandonedException"/>, which fails the batch there: nothing after it is appended.
/// </summary>
internal sealed class ComputedWrite(string collectionId, Func<long, ReadOnlyMemory<byte>> contentsAt) : IEntryWrite
{
    public string CollectionId { get; } = collectionId;

    public IReadOnlyList<string> Tags => [];

    /// <inheritdoc />
    public ReadOnlyMemory<byte> ContentsAt(long seqno) => contentsAt(seqno);
}
