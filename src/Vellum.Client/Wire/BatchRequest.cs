namespace Vellum.Client.Wire;

/// <summary>The body of <c>POST /app/transactions/batch</c>.</summary>
internal sealed record BatchRequest(IReadOnlyList<LedgerBatchEntry> Entries);
