namespace Vellum.Client.Wire;

/// <summary>The body of a successful <c>POST /app/transactions</c> (ACL's <c>LedgerWriteResult</c>).</summary>
internal sealed record WriteResponse(string? CollectionId);
