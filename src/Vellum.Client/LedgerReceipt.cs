using System.Collections.ObjectModel;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Receipts;

namespace Vellum.Client;

/// <summary>
/// A committed transaction's receipt, typed and as the JSON the ledger returned, which is what to
/// store or hand to an auditor: anyone holding it and the ledger's service certificate can verify
/// it offline, with <see cref="Verify(string, IReadOnlyCollection{ApplicationClaim}?)"/> or ACL's verifiers.
/// </summary>
public sealed class LedgerReceipt
{
    private LedgerReceipt(TransactionId transactionId, TransactionReceipt response, string json)
    {
        Invariant.Check(response.Receipt is not null && response.TransactionId == transactionId, "a LedgerReceipt holds a ready receipt for its own transaction");
        TransactionId = transactionId;
        Response = response;
        Json = json;
    }

    /// <summary>The transaction the receipt is for.</summary>
    public TransactionId TransactionId { get; }

    /// <summary>The parsed receipt response (leaf components, proof, signature, certificates).</summary>
    public TransactionReceipt Response { get; }

    /// <summary>The inner receipt.</summary>
    public Receipt Receipt => Response.Receipt!;

    /// <summary>The application claims that came with the receipt: for an entry, its collection, contents and claim key.</summary>
    public ReadOnlyCollection<ApplicationClaim> ApplicationClaims => Response.ApplicationClaims;

    /// <summary>The receipt response exactly as the ledger returned it.</summary>
    public string Json { get; }

    /// <summary>Parses a receipt response, as <see cref="Json"/> holds it or as ACL returns it.</summary>
    /// <exception cref="FormatException">The text is not a ready receipt response naming its transaction.</exception>
    public static LedgerReceipt Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!ReceiptJson.TryParseTransactionReceipt(json, out var response, out var error))
        {
            throw new FormatException(error);
        }

        if (response.Receipt is null || response.TransactionId is not { } id)
        {
            throw new FormatException(response.Receipt is null ? "The response holds no receipt: its state is Loading." : "The response does not name its transaction.");
        }

        return new LedgerReceipt(id, response, json);
    }

    /// <summary>
    /// Verifies the receipt offline against the ledger's service certificate: the signed root, the
    /// node certificate's endorsement, the transaction id, and the claims digest of
    /// <paramref name="applicationClaims"/> (or of the claims that came with the receipt when null).
    /// </summary>
    /// <param name="serviceCertificatePem">The ledger's service certificate, PEM, obtained out of band.</param>
    /// <param name="applicationClaims">The claims to check instead of the receipt's own, or null.</param>
    public ReceiptVerificationResult Verify(string serviceCertificatePem, IReadOnlyCollection<ApplicationClaim>? applicationClaims = null)
    {
        ArgumentNullException.ThrowIfNull(serviceCertificatePem);
        return ReceiptVerifier.Verify(Response, serviceCertificatePem, applicationClaims);
    }

    /// <summary>
    /// Verifies, as <see cref="Verify(string, IReadOnlyCollection{ApplicationClaim}?)"/> does, that
    /// the receipt proves the entry <paramref name="contents"/> was written to
    /// <paramref name="collectionId"/>: the receipt's <c>LedgerEntry</c> claim must name exactly
    /// those, and its digest must be the one the signed leaf holds.
    /// </summary>
    /// <param name="serviceCertificatePem">The ledger's service certificate, PEM, obtained out of band.</param>
    /// <param name="contents">The entry's expected text.</param>
    /// <param name="collectionId">The entry's expected collection; <see cref="LedgerClient.DefaultCollectionId"/> when null.</param>
    public ReceiptVerificationResult VerifyEntry(string serviceCertificatePem, string contents, string? collectionId = null)
    {
        ArgumentNullException.ThrowIfNull(serviceCertificatePem);
        ArgumentNullException.ThrowIfNull(contents);
        var collection = collectionId ?? LedgerClient.DefaultCollectionId;
        var entries = ApplicationClaims.OfType<LedgerEntryClaim>().ToList();
        if (entries.Count != 1)
        {
            return ReceiptVerificationResult.Failure(ReceiptCheck.Claims, $"the receipt carries {entries.Count} LedgerEntry claims, not one");
        }

        if (entries[0].Contents != contents || entries[0].CollectionId != collection)
        {
            return ReceiptVerificationResult.Failure(ReceiptCheck.Claims, $"the receipt's LedgerEntry claim is for other contents or another collection than {collection}");
        }

        return ReceiptVerifier.Verify(Response, serviceCertificatePem);
    }
}
