namespace Vellum.Client;

/// <summary>One entry of a batch append (<see cref="LedgerClient.PostLedgerEntriesAsync"/>).</summary>
/// <param name="Contents">The entry's text.</param>
/// <param name="CollectionId">The collection to write to; <see cref="LedgerClient.DefaultCollectionId"/> when null.</param>
/// <param name="Tags">Tags to index the entry by; none when null.</param>
public sealed record LedgerBatchEntry(string Contents, string? CollectionId = null, IReadOnlyList<string>? Tags = null);
