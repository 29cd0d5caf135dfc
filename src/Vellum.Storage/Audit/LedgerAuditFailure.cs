using Vellum.Core;

namespace Vellum.Storage.Audit;

/// <summary>The first thing an audit found wrong.</summary>
/// <param name="Path">The file where it is, or empty when it is not in one file.</param>
/// <param name="Offset">The byte offset in <paramref name="Path"/>, or -1.</param>
/// <param name="Seqno">The seqno of the first transaction that does not check.</param>
/// <param name="TransactionId">That transaction's id, when its header could be read; null when its bytes are damaged.</param>
/// <param name="Reason">What is wrong.</param>
public sealed record LedgerAuditFailure(string Path, long Offset, long Seqno, TransactionId? TransactionId, string Reason)
{
    /// <summary>The transaction, as <c>view.seqno</c> when known and <c>seqno N</c> otherwise.</summary>
    public string TransactionText => TransactionId?.ToString() ?? $"seqno {Seqno}";

    /// <inheritdoc />
    public override string ToString() =>
        Path.Length == 0 ? $"transaction {TransactionText}: {Reason}" : $"transaction {TransactionText}, {Path} at byte {Offset}: {Reason}";
}
