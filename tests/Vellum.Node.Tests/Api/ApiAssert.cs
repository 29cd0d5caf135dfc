using System.Net;
using System.Text.Json;

namespace Vellum.Node.Tests.Api;

/// <summary>Assertions every API response must meet: its status, the transaction id header, and ACL's error shape.</summary>
internal static class ApiAssert
{
    public const string TransactionIdHeader = "x-ms-ccf-transaction-id";

    /// <summary>Asserts the status (showing the body when it differs) and the transaction id header.</summary>
    public static async Task StatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        }

        TransactionId(response);
    }

    /// <summary>The response's <c>x-ms-ccf-transaction-id</c>, asserted present, single and of the form view.seqno.</summary>
    public static string TransactionId(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues(TransactionIdHeader, out var values), $"{(int)response.StatusCode} response without {TransactionIdHeader}");
        var id = Assert.Single(values);
        Assert.True(Core.TransactionId.TryParse(id, out _, out var problem), $"{TransactionIdHeader} \"{id}\" is not a transaction id: {problem}");
        return id;
    }

    /// <summary>Asserts an error response: status, JSON content type, exactly <c>{"error":{"code","message"}}</c>, and the header; returns the message.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        await StatusAsync(response, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.Equal(["error"], root.EnumerateObject().Select(property => property.Name));
        var error = root.GetProperty("error");
        Assert.Equal(["code", "message"], error.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
        Assert.Equal(code, error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    /// <summary>Asserts a 204: no body at all.</summary>
    public static async Task NoContentAsync(HttpResponseMessage response)
    {
        await StatusAsync(response, HttpStatusCode.NoContent);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.Content.Headers.ContentLength is null or 0, $"204 with Content-Length {response.Content.Headers.ContentLength}");
    }
}
