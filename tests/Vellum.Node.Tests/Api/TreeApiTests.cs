using System.Net;
using Vellum.Core;
using Vellum.Core.TreeHeads;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary><c>GET /app/tree/head</c> and <c>GET /app/tree/consistency</c> against a real node, with their errors.</summary>
public sealed class TreeApiTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        _client = _node.AdminClient();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task TheHeadIsTheLastCommittedSignatureAfterAWriteAndVerifiesAgainstTheServiceCertificate()
    {
        var written = TransactionId.Parse(await TestNode.AppendAsync(_client, "first", waitForCommit: true));

        var head = await HeadAsync("/app/tree/head");

        Assert.True(head.TreeSize > written.Seqno, $"{head} does not cover {written}");
        Assert.True(head.TreeSize <= _node.Node.Committed.Seqno);
        Assert.Empty(head.ServiceEndorsements);
        var result = TreeHeadVerifier.Verify(head, _node.Node.ServiceCertificatePem);
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public async Task AnEarlierHeadIsServedByItsTreeSizeAndByItsTransactionId()
    {
        await TestNode.AppendAsync(_client, "first", waitForCommit: true);
        var earlier = await HeadAsync("/app/tree/head");
        await TestNode.AppendAsync(_client, "second", waitForCommit: true);

        var bySize = await HeadAsync($"/app/tree/head?treeSize={earlier.TreeSize}");
        var byId = await HeadAsync($"/app/tree/head?at={earlier.TransactionId}");
        var latest = await HeadAsync("/app/tree/head");

        Assert.Equal(earlier.ToJson(), bySize.ToJson());
        Assert.Equal(earlier.ToJson(), byId.ToJson());
        Assert.True(latest.TreeSize > earlier.TreeSize);
    }

    [Fact]
    public async Task AConsistencyProofBetweenTwoHeadsVerifiesAndNamesBothHeads()
    {
        await TestNode.AppendAsync(_client, "first", waitForCommit: true);
        var earlier = await HeadAsync("/app/tree/head");
        for (var i = 0; i < 5; i++)
        {
            await TestNode.AppendAsync(_client, $"more {i}", waitForCommit: true);
        }

        var later = await HeadAsync("/app/tree/head");

        using var response = await _client.GetAsync(TestNode.App($"/app/tree/consistency?from={earlier.TreeSize}&to={later.TreeSize}"));
        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        var consistency = TreeConsistency.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(earlier.ToJson(), consistency.From.ToJson());
        Assert.Equal(later.ToJson(), consistency.To.ToJson());
        Assert.NotEmpty(consistency.Proof);
        var result = consistency.Verify(_node.Node.ServiceCertificatePem);
        Assert.True(result.IsValid, result.ToString());
        var same = await GetAsync($"/app/tree/consistency?from={later.TreeSize}&to={later.TreeSize}");
        Assert.Empty(TreeConsistency.Parse(same).Proof);
    }

    [Fact]
    public async Task ASizeThatIsNotASignedHeadIsNotFoundAndTheMessageNamesTheNearestOnes()
    {
        var written = TransactionId.Parse(await TestNode.AppendAsync(_client, "first", waitForCommit: true));
        var head = await HeadAsync("/app/tree/head");

        using var write = await _client.GetAsync(TestNode.App($"/app/tree/head?treeSize={written.Seqno}"));
        await ApiAssert.ErrorAsync(write, HttpStatusCode.NotFound, "TreeHeadNotFound");
        Assert.Contains($"nearest committed signed heads are of tree size", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(head.TreeSize.ToString(System.Globalization.CultureInfo.InvariantCulture), await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await ExpectErrorAsync("/app/tree/head?treeSize=1000000", HttpStatusCode.NotFound, "TreeHeadNotFound");
        await ExpectErrorAsync($"/app/tree/head?at={head.TransactionId.View + 1}.{head.TreeSize}", HttpStatusCode.NotFound, "TreeHeadNotFound");
        await ExpectErrorAsync($"/app/tree/consistency?from={written.Seqno}&to={head.TreeSize}", HttpStatusCode.NotFound, "TreeHeadNotFound");
        await ExpectErrorAsync($"/app/tree/consistency?from={head.TreeSize}&to=1000000", HttpStatusCode.NotFound, "TreeHeadNotFound");
    }

    [Theory]
    [InlineData("/app/tree/head?treeSize=abc", "InvalidQueryParameter")]
    [InlineData("/app/tree/head?treeSize=0", "InvalidQueryParameter")]
    [InlineData("/app/tree/head?treeSize=-3", "InvalidQueryParameter")]
    [InlineData("/app/tree/head?treeSize=07", "InvalidQueryParameter")]
    [InlineData("/app/tree/head?treeSize=%2B7", "InvalidQueryParameter")]
    [InlineData("/app/tree/consistency?from=01&to=3", "InvalidQueryParameter")]
    [InlineData("/app/tree/head?treeSize=2&at=1.2", "InvalidQueryParameter")]
    [InlineData("/app/tree/head?at=nonsense", "InvalidTransactionId")]
    [InlineData("/app/tree/consistency?to=3", "InvalidQueryParameter")]
    [InlineData("/app/tree/consistency?from=3", "InvalidQueryParameter")]
    [InlineData("/app/tree/consistency?from=5&to=3", "InvalidQueryParameter")]
    [InlineData("/app/tree/consistency?from=x&to=3", "InvalidQueryParameter")]
    public async Task MalformedQueriesAreBadRequests(string pathAndQuery, string code)
    {
        await ExpectErrorAsync(pathAndQuery, HttpStatusCode.BadRequest, code);
    }

    private async Task ExpectErrorAsync(string pathAndQuery, HttpStatusCode status, string code)
    {
        using var response = await _client.GetAsync(TestNode.App(pathAndQuery));
        await ApiAssert.ErrorAsync(response, status, code);
    }

    private async Task<string> GetAsync(string pathAndQuery)
    {
        using var response = await _client.GetAsync(TestNode.App(pathAndQuery));
        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<SignedTreeHead> HeadAsync(string pathAndQuery) => SignedTreeHead.Parse(await GetAsync(pathAndQuery));
}
