using Vellum.Core;

namespace Vellum.Node.Sequencing;

/// <summary>A validated write waiting for the sequencer to give it a transaction id.</summary>
internal sealed class PendingWrite(string collectionId, IReadOnlyList<string> tags, ReadOnlyMemory<byte> contentsUtf8)
    : TaskCompletionSource<TransactionId>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    /// <summary>A marker the replica queues to wake the sequencer when leadership changes; it is not a write.</summary>
    public static PendingWrite Wake { get; } = new(string.Empty, [], ReadOnlyMemory<byte>.Empty);

    public string CollectionId { get; } = collectionId;

    public IReadOnlyList<string> Tags { get; } = tags;

    public ReadOnlyMemory<byte> ContentsUtf8 { get; } = contentsUtf8;
}
