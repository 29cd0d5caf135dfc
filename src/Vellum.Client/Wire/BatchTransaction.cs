namespace Vellum.Client.Wire;

/// <summary>One appended entry in a <see cref="BatchResponse"/>.</summary>
internal sealed record BatchTransaction(string? TransactionId, string? CollectionId);
