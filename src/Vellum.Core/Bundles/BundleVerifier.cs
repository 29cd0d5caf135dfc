using Vellum.Core.Claims;
using Vellum.Core.Receipts;

namespace Vellum.Core.Bundles;

/// <summary>
/// Verifies an auditor bundle offline, with no access to the ledger: each transaction's receipt
/// against the service certificate the auditor trusts (ACL's algorithm, endorsements included),
/// and its claim against the receipt's claims digest, so that what the entry says (collection and
/// contents) is what the ledger signed.
/// </summary>
public static class BundleVerifier
{
    /// <summary>One result per transaction of <paramref name="bundle"/>, in its order.</summary>
    public static IReadOnlyList<BundleEntryResult> Verify(AuditorBundle bundle, string serviceCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(serviceCertificatePem);
        return [.. bundle.Receipts.Select((json, index) => VerifyOne(index, json, serviceCertificatePem))];
    }

    private static BundleEntryResult VerifyOne(int index, string json, string serviceCertificatePem)
    {
        if (!ReceiptJson.TryParseTransactionReceipt(json, out var response, out var error))
        {
            return BundleEntryResult.Invalid(index, null, $"it does not hold a receipt: {error}");
        }

        if (response.TransactionId is null)
        {
            return BundleEntryResult.Invalid(index, null, "it names no transaction");
        }

        var result = ReceiptVerifier.Verify(response, serviceCertificatePem);
        if (!result.IsValid)
        {
            return BundleEntryResult.Invalid(index, response.TransactionId, $"{result.Reason} ({result.FailedCheck} check)");
        }

        // The verifier checked the claims against the signed digest; a transaction with none is a
        // signature transaction, which says nothing of its own, and whose signed digest is zero.
        // Without that last check, whoever made the bundle could leave an entry's claims out and
        // have it pass for a signature transaction, its contents hidden.
        var signedDigest = response.Receipt!.LeafComponents.ClaimsDigest;
        return response.ApplicationClaims.OfType<LedgerEntryClaim>().ToList() switch
        {
            [] when response.ApplicationClaims.Count == 0 && signedDigest != Sha256Hash.Zero => BundleEntryResult.Invalid(
                index,
                response.TransactionId,
                $"it carries no claims, but its receipt's claimsDigest {signedDigest} says the entry has some: the bundle leaves out what the entry says"),
            [] when response.ApplicationClaims.Count == 0 => BundleEntryResult.Valid(index, response.TransactionId.Value, null),
            [var claim] when response.ApplicationClaims.Count == 1 => BundleEntryResult.Valid(index, response.TransactionId.Value, claim),
            _ => BundleEntryResult.Invalid(index, response.TransactionId, "it carries claims other than one LedgerEntryV1 claim, which a Vellum ledger never makes"),
        };
    }
}
