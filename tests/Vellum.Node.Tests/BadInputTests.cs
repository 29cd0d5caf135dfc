using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests;

/// <summary>Every refusal is a 4xx with ACL's error shape, and nothing is written.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(options => new NodeOptions
    {
        DataDirectory = options.DataDirectory,
        Listen = options.Listen,
        MaxRequestBodyBytes = 4096,
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string, string, string, int, string> BadPosts() => new()
    {
        { "/app/transactions", "application/json", "not json", 400, "InvalidRequestBody" },
        { "/app/transactions", "application/json", "[\"contents\"]", 400, "InvalidRequestBody" },
        { "/app/transactions", "application/json", "\"just a string\"", 400, "InvalidRequestBody" },
        { "/app/transactions", "application/json", "{}", 400, "InvalidRequestBody" },
        { "/app/transactions", "application/json", "{\"contents\":5}", 400, "InvalidRequestBody" },
        { "/app/transactions", "application/json", "{\"contents\":null}", 400, "InvalidRequestBody" },
        { "/app/transactions", "application/json", "{\"contents\":\"a\",\"contents\":\"b\"}", 400, "InvalidRequestBody" },
        { "/app/transactions", "application/json", "{\"contents\":\"a\"} {}", 400, "InvalidRequestBody" },
        { "/app/transactions", "application/json", "{\"contents\":\"\\ud800\"}", 400, "InvalidRequestBody" },
        { "/app/transactions", "text/plain", "{\"contents\":\"a\"}", 415, "UnsupportedMediaType" },
        { "/app/transactions?collectionId=" + new string('c', 257), "application/json", "{\"contents\":\"a\"}", 400, "InvalidCollectionId" },
        { "/app/transactions?collectionId=a%01b", "application/json", "{\"contents\":\"a\"}", 400, "InvalidCollectionId" },
        { "/app/transactions?collectionId=vellum:access", "application/json", "{\"contents\":\"a\"}", 400, "InvalidCollectionId" },
        { "/app/transactions?tags=" + TooManyTags, "application/json", "{\"contents\":\"a\"}", 400, "InvalidTags" },
        { "/app/transactions?tags=a,,b", "application/json", "{\"contents\":\"a\"}", 400, "InvalidTags" },
        { "/app/transactions?tags=a,a", "application/json", "{\"contents\":\"a\"}", 400, "InvalidTags" },
        { "/app/transactions?waitForCommit=maybe", "application/json", "{\"contents\":\"a\"}", 400, "InvalidQueryParameter" },
    };

    private static string TooManyTags => string.Join(',', Enumerable.Range(0, 33).Select(i => $"t{i}"));

    [Theory]
    [MemberData(nameof(BadPosts))]
    public async Task BadWriteIsRefusedWithItsCodeAndWritesNothing(string path, string mediaType, string body, int status, string code)
    {
        var before = _node.Node.Committed;
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        using var response = await _node.AdminClient().PostAsync(TestNode.App(path), content);

        await AssertErrorAsync(response, status, code);
        using var commit = await _node.Client(null).GetAsync("/node/commit");
        Assert.Equal(before.ToString(), (await TestNode.ReadJsonAsync(commit)).GetProperty("transactionId").GetString());
    }

    [Theory]
    [InlineData("{\"contents\":\"a<FF>b\"}")]
    [InlineData("{\"contents\":\"a\",\"x\":\"<FF>\"}")]
    [InlineData("{\"contents\":\"a\",\"x<FF>\":1}")]
    [InlineData("{\"x\":{\"y\":[1,\"<FF>\"]},\"contents\":\"a\"}")]
    [InlineData("{\"contents\":\"a\",\"x\":\"\\ud800\"}")]
    [InlineData("{\"\\udc00\":true,\"contents\":\"a\"}")]
    [InlineData("{\"contents\":\"a\",\"x\":[{\"\\ud800z\":null}]}")]
    public async Task TextThatIsNotValidUnicodeAnywhereInTheBodyIsRefusedAndWritesNothing(string body)
    {
        var before = _node.Node.Committed;
        using var content = new ByteArrayContent(Utf8Bytes.WithByteFF(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _node.AdminClient().PostAsync(TestNode.App("/app/transactions"), content);

        await AssertErrorAsync(response, 400, "InvalidRequestBody");
        using var commit = await _node.Client(null).GetAsync("/node/commit");
        Assert.Equal(before.ToString(), (await TestNode.ReadJsonAsync(commit)).GetProperty("transactionId").GetString());
    }

    [Theory]
    [InlineData("{\"assignedRole\":\"Re<FF>ader\"}")]
    [InlineData("{\"assignedRole\":\"Re\\ud800ader\"}")]
    [InlineData("{\"assignedRoles\":[\"Reader\",\"<FF>\"]}")]
    [InlineData("{\"assignedRoles\":[\"\\udc00\"]}")]
    public async Task AUserChangeWhoseTextIsNotValidUnicodeIsRefusedAndChangesNothing(string body)
    {
        using var content = new ByteArrayContent(Utf8Bytes.WithByteFF(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");

        using var response = await _node.AdminClient().PatchAsync(TestNode.App("/app/users/someone"), content);

        await AssertErrorAsync(response, 400, "InvalidRequestBody");
        using var user = await _node.AdminClient().GetAsync(TestNode.App("/app/users/someone"));
        Assert.Equal(HttpStatusCode.NotFound, user.StatusCode);
    }

    [Theory]
    [InlineData(4096, 200)]
    [InlineData(4097, 413)]
    public async Task AChunkedBodyIsHeldToTheLimitByItsOwnBytesNotItsFraming(int bodyBytes, int status)
    {
        var prefix = "{\"contents\":\"";
        var body = Encoding.UTF8.GetBytes(prefix + new string('x', bodyBytes - prefix.Length - 2) + "\"}");
        Assert.Equal(bodyBytes, body.Length);

        // Without a length, HttpClient sends the body chunked over HTTP/1.1, one chunk per write.
        using var content = new StreamContent(new MemoryStream(body), bufferSize: 512);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, TestNode.App("/app/transactions")) { Content = content, Version = HttpVersion.Version11 };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _node.AdminClient().SendAsync(request);

        if (status == 200)
        {
            await Api.ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        }
        else
        {
            await AssertErrorAsync(response, status, "RequestBodyTooLarge");
        }
    }

    [Fact]
    public async Task BodyOverTheLimitGets413()
    {
        var contents = new string('x', 5000);
        using var response = await _node.AdminClient().PostAsync(TestNode.App("/app/transactions"), TestNode.Json($"{{\"contents\":\"{contents}\"}}"));
        await AssertErrorAsync(response, 413, "RequestBodyTooLarge");
    }

    [Theory]
    [InlineData("/app/transactions/1.1/status", null, 400, "MissingApiVersion")]
    [InlineData("/app/transactions/1.1/status?api-version=2099-01-01", null, 400, "InvalidApiVersion")]
    [InlineData("/app/transactions/1.1/status?api-version=2022-05-13&api-version=1999-01-01", null, 400, "InvalidApiVersion")]
    [InlineData("/app/transactions/1.99999/status?api-version=2022-05-13", null, 404, "InvalidTransactionId")]
    [InlineData("/app/transactions/1.-5/status?api-version=2022-05-13", null, 400, "InvalidTransactionId")]
    [InlineData("/app/transactions/1.5.5?api-version=2022-05-13", null, 400, "InvalidTransactionId")]
    [InlineData("/app/transactions?api-version=2022-05-13&fromTransactionId=x", null, 400, "InvalidTransactionId")]
    [InlineData("/app/transactions/1.1?api-version=2022-05-13&collectionId=", null, 400, "InvalidCollectionId")]
    [InlineData("/app/transactions/1.1?api-version=2022-05-13&collectionId=vellum:access", null, 400, "InvalidCollectionId")]
    [InlineData("/app/ledger/chunks/ledger_5.open?api-version=2022-05-13", null, 404, "ChunkNotFound")]
    [InlineData("/app/transactions?api-version=2022-05-13&collectionId=%FF", null, 400, "BadRequest")]
    [InlineData("/app/transactions?api-version=2022-05-13&collectionId=%C3%28", null, 400, "BadRequest")]
    [InlineData("/app/transactions?api-version=2022-05-13&collectionId=%ED%A0%80", null, 400, "BadRequest")]
    [InlineData("/app/users/%FF?api-version=2022-05-13", null, 400, "BadRequest")]
    [InlineData("/app/users/a%2Fb?api-version=2022-05-13", null, 400, "BadRequest")]
    [InlineData("/app/users/nobody?api-version=2022-05-13", null, 404, "UserNotFound")]
    [InlineData("/app/users/bad%20id?api-version=2022-05-13", null, 400, "InvalidUserId")]
    [InlineData("/app/roles?api-version=2024-08-22-preview&roleName=nothing", null, 404, "RoleNotFound")]
    [InlineData("/app/nothing-here?api-version=2022-05-13", null, 404, "NotFound")]
    public async Task BadReadIsRefusedWithItsCode(string path, string? unused, int status, string code)
    {
        _ = unused;
        using var response = await _node.AdminClient().GetAsync(path);
        await AssertErrorAsync(response, status, code);
    }

    [Fact]
    public async Task APercentEscapedPercentSignAndEscapedUtf8AreReadAsTheTextTheyEncode()
    {
        using var literal = await _node.AdminClient().PostAsync("/app/transactions?api-version=2022-05-13&collectionId=%25FF&tags=caf%C3%A9&waitForCommit=true", TestNode.Json("{\"contents\":\"a\"}"));
        Assert.Equal(HttpStatusCode.OK, literal.StatusCode);
        Assert.Equal("%FF", (await TestNode.ReadJsonAsync(literal)).GetProperty("collectionId").GetString());

        using var listed = await _node.AdminClient().GetAsync("/app/transactions?api-version=2022-05-13&collectionId=%25FF&tag=caf%C3%A9");
        var entry = Assert.Single((await TestNode.ReadJsonAsync(listed)).GetProperty("entries").EnumerateArray());
        Assert.Equal("caf\u00e9", entry.GetProperty("tags").GetString());
    }

    [Fact]
    public async Task IgnoredMembersOfAnyShapeAreSkippedAndTheContentsWritten()
    {
        const string Body = "{\"x\":{},\"y\":[[],{}],\"z\":{\"a\":[1,{\"b\":\"\u00e9\\u00e9\",\"c\":null}]},\"contents\":\"kept\",\"w\":[]}";
        using var response = await _node.AdminClient().PostAsync(TestNode.App("/app/transactions?waitForCommit=true"), TestNode.Json(Body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var id = Assert.Single(response.Headers.GetValues("x-ms-ccf-transaction-id"));
        using var read = await _node.AdminClient().GetAsync(TestNode.App($"/app/transactions/{id}"));
        Assert.Equal("kept", (await TestNode.ReadJsonAsync(read)).GetProperty("entry").GetProperty("contents").GetString());
    }

    [Fact]
    public async Task ARangeQueryMayFilterByATagHoldingACommaThoughNoWriteMayNowStoreOne()
    {
        using var response = await _node.AdminClient().GetAsync(TestNode.App("/app/transactions?collectionId=anything&tag=a%2Cb"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await TestNode.ReadJsonAsync(response)).GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task RepeatedIdenticalApiVersionIsAccepted()
    {
        using var response = await _node.AdminClient().GetAsync("/app/transactions/1.1/status?api-version=2022-05-13&api-version=2022-05-13");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownRoleOrWrongBodyForAUserIsRefused()
    {
        var client = _node.AdminClient();
        using var unknownRole = await client.PatchAsync(TestNode.App("/app/users/someone"), TestNode.Json("{\"assignedRole\":\"Wizard\"}", "application/merge-patch+json"));
        await AssertErrorAsync(unknownRole, 400, "RoleNotFound");

        using var notObject = await client.PatchAsync(TestNode.App("/app/users/someone"), TestNode.Json("[1]", "application/merge-patch+json"));
        await AssertErrorAsync(notObject, 400, "InvalidRequestBody");

        using var wrongType = await client.PatchAsync(TestNode.App("/app/users/someone"), TestNode.Json("{\"assignedRole\":\"Reader\"}", "text/plain"));
        await AssertErrorAsync(wrongType, 415, "UnsupportedMediaType");
    }

    [Fact]
    public async Task WrongMethodGets405InTheErrorShape()
    {
        using var response = await _node.AdminClient().DeleteAsync(TestNode.App("/app/transactions"));
        await AssertErrorAsync(response, 405, "MethodNotAllowed");
    }

    internal static async Task AssertErrorAsync(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = System.Text.Json.JsonDocument.Parse(text);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(response.Headers.Contains("x-ms-ccf-transaction-id"));
    }
}
