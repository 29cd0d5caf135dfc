using Vellum.Core;

namespace Vellum.Cli.Commands;

/// <summary>What <c>vellum list</c> asks for: a collection, a range, a tag, and at most <paramref name="Limit"/> entries (0 for all).</summary>
internal sealed record ListQuery(string? Collection, TransactionId? From, TransactionId? To, string? Tag, int Limit);
