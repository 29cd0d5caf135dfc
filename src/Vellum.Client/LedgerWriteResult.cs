using Vellum.Core;

namespace Vellum.Client;

/// <summary>The outcome of appending an entry.</summary>
/// <param name="TransactionId">The entry's transaction id; wait for it to commit before asking for its receipt.</param>
/// <param name="CollectionId">The collection the entry was written to (<c>subledger:0</c> when none was named).</param>
/// <param name="Committed">True when the append waited for commit, so the entry is already committed.</param>
public sealed record LedgerWriteResult(TransactionId TransactionId, string CollectionId, bool Committed);
