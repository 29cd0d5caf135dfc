namespace Vellum.Client.Wire;

/// <summary>One collection in <c>GET /app/collections</c>.</summary>
internal sealed record CollectionWire(string? CollectionId);
