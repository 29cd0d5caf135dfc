using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Node.Tests.Api;
using Vellum.Node.Tests.Jwt;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Governance;

/// <summary>
/// Token issuers set by the consortium on a node that also has a configured OpenID issuer:
/// malformed proposals are refused and record nothing, and for an issuer named both ways the
/// consortium's keys are used while its entry lasts.
/// </summary>
public sealed class JwtIssuerApiTests(LocalOpenIdIssuer server) : IClassFixture<LocalOpenIdIssuer>, IAsyncLifetime
{
    private const string ObjectId = "5b0f7c1a-2d3e-4f50-8a6b-7c8d9e0f1a2b";

    private readonly TestTenant _tenant = server.CreateTenant();
    private TestNode _node = null!;
    private X509Certificate2 _member = null!;

    public async Task InitializeAsync()
    {
        var jwt = server.Options(TimeProvider.System, _tenant);
        _node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, Jwt = jwt });
        _member = TestCertificates.FirstMember(_node.DataDirectory);
        using var reader = await _node.AdminClient().PatchAsync(TestNode.App($"/app/ledgerUsers/{ObjectId}"), TestNode.Json("{\"assignedRoles\":[\"Reader\"]}", "application/merge-patch+json"));
        await ApiAssert.StatusAsync(reader, HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _member.Dispose();
        _tenant.Dispose();
    }

    [Fact]
    public async Task MalformedIssuerProposalsAreRefusedAndRecordNothing()
    {
        var before = _node.Node.Committed;
        var jwks = KeySet(_tenant.Ec);
        foreach (var args in new[]
        {
            "{\"issuer\":\"http://issuer.example\",\"jwks\":" + jwks + "}",
            "{\"issuer\":\"https://issuer.example\"}",
            "{\"issuer\":\"https://issuer.example\",\"jwks\":{\"keys\":[]}}",
            "{\"issuer\":\"https://issuer.example\",\"jwks\":" + jwks + ",\"auto_refresh\":true}",
        })
        {
            using var refused = await _node.Client(_member).PostAsync("/gov/proposals", TestNode.Json("{\"actions\":[{\"name\":\"set_jwt_issuer\",\"args\":" + args + "}]}"));
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "ProposalInvalid");
        }

        using var removal = await _node.Client(_member).PostAsync("/gov/proposals", TestNode.Json("{\"actions\":[{\"name\":\"remove_jwt_issuer\",\"args\":{}}]}"));
        await ApiAssert.ErrorAsync(removal, HttpStatusCode.BadRequest, "ProposalInvalid");
        Assert.Equal(before, _node.Node.Committed);
    }

    [Fact]
    public async Task TheConsortiumsKeysReplaceAConfiguredIssuersFetchedKeysUntilItsEntryIsRemoved()
    {
        using var governed = TestSigningKey.Ec("governed-ec");
        var fetchedToken = Token(_tenant.Issuer, _tenant.Rsa);
        var governedToken = Token(_tenant.Issuer + "/", governed);
        await AnswersAsync(fetchedToken, HttpStatusCode.OK);

        await DecideAsync("set_jwt_issuer", "{\"issuer\":\"" + _tenant.Issuer + "\",\"jwks\":" + KeySet(governed) + "}");
        await AnswersAsync(governedToken, HttpStatusCode.OK);
        Assert.Contains("not among the signing keys the consortium set", await AnswersAsync(fetchedToken, HttpStatusCode.Unauthorized), StringComparison.Ordinal);

        await DecideAsync("remove_jwt_issuer", "{\"issuer\":\"" + _tenant.Issuer + "/\"}");
        await AnswersAsync(fetchedToken, HttpStatusCode.OK);
        Assert.Contains("not among the signing keys of issuer", await AnswersAsync(governedToken, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGovernedIssuersAudienceReplacesTheNodesForItsTokensOnly()
    {
        using var governed = TestSigningKey.Ec("audience-ec");
        const string issuer = "https://login.example/audience-tenant";
        await DecideAsync("set_jwt_issuer", "{\"issuer\":\"" + issuer + "\",\"jwks\":" + KeySet(governed) + ",\"audience\":\"api://ledger\"}");

        var ownAudience = TestToken.For(issuer, governed, DateTimeOffset.UtcNow);
        ownAudience.Claims["oid"] = ObjectId;
        ownAudience.Claims["aud"] = "api://ledger";
        await AnswersAsync(ownAudience.SignedBy(governed), HttpStatusCode.OK);
        Assert.Contains("audience", await AnswersAsync(Token(issuer, governed), HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        await AnswersAsync(Token(_tenant.Issuer, _tenant.Rsa), HttpStatusCode.OK);
    }

    private static string Token(string issuer, TestSigningKey key)
    {
        var token = TestToken.For(issuer, key, DateTimeOffset.UtcNow);
        token.Claims["oid"] = ObjectId;
        return token.SignedBy(key);
    }

    private static string KeySet(params TestSigningKey[] keys) => JsonSerializer.Serialize(new { keys = keys.Select(key => key.ToJwk()) });

    private async Task DecideAsync(string action, string args)
    {
        var member = _node.Client(_member);
        using var proposed = await member.PostAsync("/gov/proposals", TestNode.Json("{\"actions\":[{\"name\":\"" + action + "\",\"args\":" + args + "}]}"));
        var body = await TestNode.ReadJsonAsync(proposed);
        Assert.True(proposed.StatusCode == HttpStatusCode.OK, body.ToString());
        using var voted = await member.PostAsync($"/gov/proposals/{body.GetProperty("proposalId").GetString()}/ballots", TestNode.Json("{\"ballot\":true}"));
        Assert.Equal("Accepted", (await TestNode.ReadJsonAsync(voted)).GetProperty("state").GetString());
    }

    private async Task<string> AnswersAsync(string token, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, TestNode.App("/app/governance/constitution"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _node.Client(null).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {body}");
        return body;
    }
}
