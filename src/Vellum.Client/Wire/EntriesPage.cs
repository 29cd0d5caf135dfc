namespace Vellum.Client.Wire;

/// <summary>One page of <c>GET /app/transactions</c>.</summary>
internal sealed record EntriesPage(string? State, IReadOnlyList<EntryWire>? Entries, string? NextLink);
