using Vellum.Core.Claims;
using Vellum.Core.Identity;

namespace Vellum.Core.Receipts;

/// <summary>
/// Verifies receipts offline with ACL's algorithm (the Python SDK's <c>verify_receipt</c>), so
/// that a receipt Vellum accepts is one ACL's verifiers accept, and the other way round. Check
/// failures are returned, never thrown: the input is untrusted by design.
/// </summary>
/// <remarks>
/// The steps, in ACL's order: the claims digest (when claims are given); the node certificate has
/// an EC key; each link node certificate → endorsements → service certificate is an ordinary
/// X.509 signature, with validity dates ignored as ACL does; the leaf and the root; the node id,
/// when present, is the SHA-256 of the node's SubjectPublicKeyInfo; and the node's ECDSA signature
/// verifies over the 32-byte root used as the digest.
/// </remarks>
public static class ReceiptVerifier
{
    /// <summary>Verifies <paramref name="receipt"/> against the trusted service certificate.</summary>
    /// <param name="receipt">The receipt to check.</param>
    /// <param name="serviceCertificatePem">The service identity (ACL's <c>ledgerTlsCertificate</c>), PEM, obtained out of band.</param>
    /// <param name="applicationClaims">The entry's claims; null or empty skips the claims check, as in ACL.</param>
    public static ReceiptVerificationResult Verify(Receipt receipt, string serviceCertificatePem, IReadOnlyCollection<ApplicationClaim>? applicationClaims = null)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(serviceCertificatePem);
        if (applicationClaims is { Count: > 0 })
        {
            var computed = ClaimsDigest.Compute(applicationClaims);
            if (computed != receipt.LeafComponents.ClaimsDigest)
            {
                return Fail(
                    ReceiptCheck.Claims,
                    $"the claims digest of the application claims, {computed}, differs from the receipt's claimsDigest {receipt.LeafComponents.ClaimsDigest}");
            }
        }

        var failure = SignedRootVerifier.Verify(receipt.Cert, receipt.ServiceEndorsements, receipt.NodeId, receipt.ComputeRoot(), receipt.Signature, serviceCertificatePem);
        if (failure is not null)
        {
            return Fail(ToReceiptCheck(failure.Check), failure.Reason);
        }

        return ReceiptVerificationResult.Valid;
    }

    /// <summary>
    /// Parses a receipt response, or a bare receipt object, and verifies it. When
    /// <paramref name="applicationClaims"/> is null, the claims in the response are checked instead.
    /// </summary>
    public static ReceiptVerificationResult VerifyJson(string json, string serviceCertificatePem, IReadOnlyCollection<ApplicationClaim>? applicationClaims = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(serviceCertificatePem);
        if (!ReceiptJson.TryParseTransactionReceipt(json, out var response, out var error))
        {
            return Fail(ReceiptCheck.Format, error);
        }

        return Verify(response, serviceCertificatePem, applicationClaims);
    }

    /// <summary>
    /// Verifies a receipt response: the receipt itself, the application claims it carries (or
    /// <paramref name="applicationClaims"/> when given), and that its <c>transactionId</c>, which
    /// the signature does not cover, is the transaction named in the signed commit evidence.
    /// </summary>
    public static ReceiptVerificationResult Verify(TransactionReceipt response, string serviceCertificatePem, IReadOnlyCollection<ApplicationClaim>? applicationClaims = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Receipt is null)
        {
            return Fail(ReceiptCheck.Format, "the response holds no receipt: its state is Loading");
        }

        // The envelope's transactionId is not covered by the signature; the commit evidence is,
        // so a response relabelled as another transaction's must not pass.
        if (response.TransactionId is { } claimed)
        {
            var evidence = response.Receipt.LeafComponents.CommitEvidence;
            if (!CommitEvidence.TryParse(evidence, out var parsed))
            {
                return Fail(ReceiptCheck.TransactionId, $"the response names transaction {claimed}, but the commit evidence \"{Truncate(evidence)}\" names none");
            }

            if (parsed.TransactionId != claimed)
            {
                return Fail(ReceiptCheck.TransactionId, $"the response names transaction {claimed}, but the signed commit evidence is for {parsed.TransactionId}");
            }
        }

        return Verify(response.Receipt, serviceCertificatePem, applicationClaims ?? response.ApplicationClaims);
    }

    private static ReceiptCheck ToReceiptCheck(SignedRootCheck check) => check switch
    {
        SignedRootCheck.NodeCertificate => ReceiptCheck.NodeCertificate,
        SignedRootCheck.ServiceCertificate => ReceiptCheck.ServiceCertificate,
        SignedRootCheck.Endorsements => ReceiptCheck.Endorsements,
        SignedRootCheck.NodeId => ReceiptCheck.NodeId,
        _ => ReceiptCheck.Signature,
    };

    private static ReceiptVerificationResult Fail(ReceiptCheck check, string reason) => ReceiptVerificationResult.Failure(check, reason);

    private static string Truncate(string text) => SignedRootVerifier.Truncate(text);
}
