namespace Vellum.Client.Wire;

/// <summary>ACL's <c>LedgerEntry</c> as the service returns it; <c>tags</c> is one comma-separated string, as it is written.</summary>
internal sealed record EntryWire(string? Contents, string? CollectionId, string? TransactionId, string? Tags);
