namespace Vellum.Client.Wire;

/// <summary>The body of <c>POST /app/transactions</c>.</summary>
internal sealed record EntryRequest(string Contents);
