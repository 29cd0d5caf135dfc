using System.Net;
using Vellum.Client.Http;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Receipts;

namespace Vellum.Client;

/// <summary>Receipts: fetching them once the transaction commits, and verifying them against the pinned identity.</summary>
public sealed partial class LedgerClient
{
    private const string UncommittedCode = "UncommittedLedgerEntry";

    /// <summary>
    /// Fetches the receipt of <paramref name="transactionId"/> (ACL's <c>GetReceipt</c>), waiting
    /// while the transaction is not yet committed (406 <c>UncommittedLedgerEntry</c>) or the receipt
    /// is loading.
    /// </summary>
    /// <param name="transactionId">The transaction.</param>
    /// <param name="cancellationToken">Cancels the call, and with it the wait.</param>
    /// <exception cref="LedgerRequestException">No such transaction (404 <c>InvalidTransactionId</c>), or another refusal.</exception>
    public async Task<LedgerReceipt> GetReceiptAsync(TransactionId transactionId, CancellationToken cancellationToken = default)
    {
        var request = LedgerRequest.Get(_pipeline.App($"/app/transactions/{transactionId}/receipt"));
        var backoff = new PollBackoff(_options);
        while (true)
        {
            using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.NotAcceptable || !await IsUncommittedAsync(response, cancellationToken).ConfigureAwait(false))
            {
                await LedgerPipeline.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
                var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (!ReceiptJson.TryParseTransactionReceipt(json, out var parsed, out var error))
                {
                    throw LedgerPipeline.InvalidResponse(response, error);
                }

                if (parsed.State == ReceiptState.Ready)
                {
                    return LedgerReceipt.Parse(json);
                }
            }

            await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Verifies <paramref name="receipt"/> against this client's pinned identity; see <see cref="LedgerReceipt.Verify"/>.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="applicationClaims">The claims to check instead of the receipt's own, or null.</param>
    public ReceiptVerificationResult VerifyReceipt(LedgerReceipt receipt, IReadOnlyCollection<ApplicationClaim>? applicationClaims = null)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return receipt.Verify(Identity.ServiceCertificatePem, applicationClaims);
    }

    private static async Task<bool> IsUncommittedAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await LedgerPipeline.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false)).Code == UncommittedCode;
}
