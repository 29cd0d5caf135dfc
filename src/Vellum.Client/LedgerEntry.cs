using Vellum.Core;

namespace Vellum.Client;

/// <summary>A committed ledger entry.</summary>
/// <param name="TransactionId">The entry's transaction id.</param>
/// <param name="CollectionId">The collection it belongs to.</param>
/// <param name="Contents">The text the writer appended.</param>
/// <param name="Tags">The tags it was written with, empty when none.</param>
public sealed record LedgerEntry(TransactionId TransactionId, string CollectionId, string Contents, IReadOnlyList<string> Tags);
