namespace Vellum.Client.Wire;

/// <summary>The body of <c>GET /app/transactions/{id}/status</c>.</summary>
internal sealed record StatusResponse(string? State, string? TransactionId);
