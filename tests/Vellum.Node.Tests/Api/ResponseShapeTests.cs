using System.Net;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// The transaction id header and the error shape on responses the matrix does not produce:
/// routing's own refusals, refusals before a handler runs, and a write's own id.
/// </summary>
public sealed class ResponseShapeTests(IssuerNode node) : IClassFixture<IssuerNode>
{
    [Theory]
    [InlineData("GET", "/app/no-such-route?api-version=2022-05-13", true, 404, "NotFound")]
    [InlineData("GET", "/no-such-route", false, 404, "NotFound")]
    [InlineData("PUT", "/app/transactions?api-version=2022-05-13", true, 405, "MethodNotAllowed")]
    [InlineData("POST", "/node/ready", false, 405, "MethodNotAllowed")]
    [InlineData("GET", "/app/collections", true, 400, "MissingApiVersion")]
    [InlineData("GET", "/app/collections?api-version=1999-01-01", true, 400, "InvalidApiVersion")]
    [InlineData("GET", "/app/collections?api-version=2022-05-13", false, 401, "Unauthorized")]
    [InlineData("GET", "/app/transactions/9.9/status?api-version=2022-05-13", true, 404, "InvalidTransactionId")]
    [InlineData("GET", "/app/users/nobody-at-all?api-version=2022-05-13", true, 404, "UserNotFound")]
    public async Task RefusalCarriesTheTransactionIdHeaderAndTheAclErrorShape(string method, string path, bool asAdministrator, int status, string code)
    {
        var client = asAdministrator ? node.Admin : node.Node.Client(null);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await client.SendAsync(request);

        await ApiAssert.ErrorAsync(response, (HttpStatusCode)status, code);
    }

    [Theory]
    [InlineData("/node/ready", "1.1")]
    [InlineData("/node/ready", "2.0")]
    [InlineData("/app/collections?api-version=2022-05-13", "2.0")]
    public async Task HeadRequestIsAnsweredWithHeadersOnly(string path, string httpVersion)
    {
        var version = Version.Parse(httpVersion);
        using var request = new HttpRequestMessage(HttpMethod.Head, path) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await node.Admin.SendAsync(request);

        await ApiAssert.StatusAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(version, response.Version);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.NotEqual(true, response.Headers.ConnectionClose);
    }

    [Fact]
    public async Task WriteAnswersWithItsOwnTransactionIdAndReadsWithTheCommittedOne()
    {
        using var post = await node.Admin.PostAsync(TestNode.App("/app/transactions?waitForCommit=true"), TestNode.Json("{\"contents\":\"header\"}"));
        await ApiAssert.StatusAsync(post, HttpStatusCode.OK);
        var written = ApiAssert.TransactionId(post);

        using var status = await node.Admin.GetAsync(TestNode.App($"/app/transactions/{written}/status"));
        var served = Core.TransactionId.Parse(ApiAssert.TransactionId(status));
        Assert.True(served.Seqno > Core.TransactionId.Parse(written).Seqno, $"read served at {served}, before the write {written} committed");
        Assert.Equal(node.Node.Node.Committed, served);
    }

    [Fact]
    public async Task UserChangeAnswersWithTheTransactionThatRecordsIt()
    {
        var before = await node.SettledLastSeqnoAsync();
        using var patch = await node.Admin.PatchAsync(TestNode.App("/app/users/header-user"), TestNode.Json("{\"assignedRole\":\"Reader\"}", "application/merge-patch+json"));
        await ApiAssert.StatusAsync(patch, HttpStatusCode.OK);

        var recorded = Core.TransactionId.Parse(ApiAssert.TransactionId(patch));

        Assert.True(recorded.Seqno > before, $"the change's id {recorded} is not after the ledger's last entry {before}");
    }
}
