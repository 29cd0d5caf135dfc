using Vellum.Core;

namespace Vellum.Client;

/// <summary>The status of one transaction, as <c>GET /app/transactions/{id}/status</c> reports it.</summary>
/// <param name="TransactionId">The transaction asked about.</param>
/// <param name="State">Whether it is committed yet.</param>
public sealed record TransactionStatus(TransactionId TransactionId, TransactionState State);
