namespace Vellum.Core.Entries;

/// <summary>A decoded application write.</summary>
/// <param name="Header">The entry's header.</param>
/// <param name="CollectionId">The collection the entry was written to.</param>
/// <param name="Tags">The entry's tags, in the order they were given.</param>
/// <param name="Contents">The entry's contents.</param>
public sealed record WriteEntry(EntryHeader Header, string CollectionId, IReadOnlyList<string> Tags, string Contents);
