namespace Vellum.Client.Wire;

/// <summary>The body of a successful <c>POST /app/transactions/batch</c>: each entry's id and collection, in order.</summary>
internal sealed record BatchResponse(IReadOnlyList<BatchTransaction>? Transactions);
