using Vellum.Core;

namespace Vellum.Node.Cluster;

/// <summary>The outcome of a retirement and, when a removal was written, its transaction id.</summary>
internal readonly record struct RetireResult(RetireOutcome Outcome, TransactionId? Change);
