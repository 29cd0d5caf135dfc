using System.Security.Cryptography.X509Certificates;

namespace Vellum.Client.Tests;

/// <summary>
/// The usage example of <c>docs/sdk.md</c>, compiled here and run by <see cref="DocsExampleTests"/>;
/// the test also checks that the page shows exactly this code between the markers.
/// </summary>
internal static class DocsExample
{
    // docs/sdk.md: begin example
    public static async Task<string> RunAsync(Uri endpoint, string serviceCertificatePem, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        // The ledger's identity, given by its operator out of band, is pinned on every connection.
        var identity = LedgerIdentity.FromPem(serviceCertificatePem);
        using var client = new LedgerClient(endpoint, identity, LedgerCredential.FromCertificate(certificate));

        // Append an entry and wait until it is committed.
        var written = await client.PostLedgerEntryAsync("hello, ledger", "greetings", waitForCommit: true, cancellationToken: cancellationToken);

        // Read it back, and list the collection (pages are fetched as the loop reaches them).
        var entry = await client.GetLedgerEntryAsync(written.TransactionId, "greetings", cancellationToken);
        var count = 0;
        await foreach (var listed in client.GetLedgerEntriesAsync("greetings", cancellationToken: cancellationToken))
        {
            count++;
        }

        // Fetch the receipt and verify it offline: it proves these contents were written.
        var receipt = await client.GetReceiptAsync(written.TransactionId, cancellationToken);
        var verdict = LedgerReceipt.Parse(receipt.Json).VerifyEntry(identity.ServiceCertificatePem, entry.Contents, "greetings");
        if (!verdict.IsValid)
        {
            throw new InvalidOperationException(verdict.ToString());
        }

        return $"{entry.Contents} at {written.TransactionId}, {count} entries, receipt verified";
    }

    // docs/sdk.md: end example
}
