using System.Collections.ObjectModel;
using Vellum.Core.Claims;

namespace Vellum.Core.Receipts;

/// <summary>
/// The body of ACL's <c>GET /app/transactions/{id}/receipt</c> response:
/// <c>{"receipt":{…},"state":"Ready","transactionId":"2.15","applicationClaims":[…]}</c>.
/// </summary>
public sealed class TransactionReceipt
{
    private TransactionReceipt(ReceiptState state, TransactionId? transactionId, Receipt? receipt, IEnumerable<ApplicationClaim>? applicationClaims)
    {
        var claims = (applicationClaims ?? []).ToArray();
        if (claims.Any(c => c is null))
        {
            throw new ArgumentException("An application claim cannot be null.", nameof(applicationClaims));
        }

        State = state;
        TransactionId = transactionId;
        Receipt = receipt;
        ApplicationClaims = claims.AsReadOnly();
    }

    /// <summary>A ready response carrying <paramref name="receipt"/> and the entry's claims, if any.</summary>
    public TransactionReceipt(TransactionId transactionId, Receipt receipt, IEnumerable<ApplicationClaim>? applicationClaims = null)
        : this(ReceiptState.Ready, transactionId, receipt ?? throw new ArgumentNullException(nameof(receipt)), applicationClaims)
    {
    }

    /// <summary>Whether the receipt is in the response.</summary>
    public ReceiptState State { get; }

    /// <summary>The transaction the receipt is for; null when a response left it empty.</summary>
    public TransactionId? TransactionId { get; }

    /// <summary>The receipt; present exactly when <see cref="State"/> is <see cref="ReceiptState.Ready"/>.</summary>
    public Receipt? Receipt { get; }

    /// <summary>The entry's application claims, empty when it has none.</summary>
    public ReadOnlyCollection<ApplicationClaim> ApplicationClaims { get; }

    /// <summary>A response saying the receipt is still being loaded, so the client should poll again.</summary>
    public static TransactionReceipt Loading(TransactionId? transactionId) => new(ReceiptState.Loading, transactionId, null, null);

    /// <summary>A ready response whose transaction id may be unknown, as when only the inner receipt was parsed.</summary>
    internal static TransactionReceipt Ready(TransactionId? transactionId, Receipt receipt, IEnumerable<ApplicationClaim>? applicationClaims) =>
        new(ReceiptState.Ready, transactionId, receipt, applicationClaims);
}
