namespace Vellum.Client.Wire;

/// <summary>The body of <c>GET /app/transactions/{id}</c>: <c>Loading</c>, or <c>Ready</c> with the entry.</summary>
internal sealed record EntryResponse(string? State, EntryWire? Entry);
