using System.Net;
using Vellum.Core.Receipts;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// The last committed transaction is always a signature: it is what <c>/node/commit</c> and the
/// <c>x-ms-ccf-transaction-id</c> of every read name. Asking for its receipt must not be a 500.
/// </summary>
public sealed class SignatureReceiptTests
{
    [Fact]
    public async Task TheReceiptOfTheLastCommittedSignatureIsAnAnswerNotAServerError()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        await TestNode.AppendAsync(client, "an entry", waitForCommit: true);
        var signature = node.Node.Committed;

        using var response = await client.GetAsync(TestNode.App($"/app/transactions/{signature}/receipt"));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var verification = ReceiptVerifier.VerifyJson(body, node.Node.ServiceCertificatePem);
            Assert.True(verification.IsValid, verification.ToString());
            return;
        }

        // Otherwise it is refused the way GET /app/transactions/{id} refuses a signature transaction.
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{(int)response.StatusCode} {body}");
        Assert.Equal("InvalidTransactionId", (await TestNode.ReadJsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }
}
