namespace Vellum.Client.Wire;

/// <summary>The body of <c>GET /app/collections</c>.</summary>
internal sealed record CollectionsResponse(IReadOnlyList<CollectionWire>? Collections, string? NextLink);
