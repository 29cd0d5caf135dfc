using Vellum.Core.Claims;

namespace Vellum.Core.Bundles;

/// <summary>The verdict on one transaction of an auditor bundle, and what it says when valid.</summary>
/// <param name="Index">Its position in the bundle, from 0.</param>
/// <param name="TransactionId">The transaction it names, when it could be read.</param>
/// <param name="IsValid">Whether its receipt and claim verify.</param>
/// <param name="Claim">The entry's collection and contents, proven by the receipt; null for a signature transaction or an invalid one.</param>
/// <param name="Reason">Why it is invalid; null when valid.</param>
public sealed record BundleEntryResult(int Index, TransactionId? TransactionId, bool IsValid, LedgerEntryClaim? Claim, string? Reason)
{
    /// <summary>A valid transaction and what it says.</summary>
    public static BundleEntryResult Valid(int index, TransactionId transactionId, LedgerEntryClaim? claim) => new(index, transactionId, true, claim, null);

    /// <summary>An invalid transaction and why.</summary>
    public static BundleEntryResult Invalid(int index, TransactionId? transactionId, string reason) => new(index, transactionId, false, null, reason);
}
