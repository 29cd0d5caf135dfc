using Vellum.Client.Tests.Support;
using Vellum.Node;
using Vellum.Node.Tests.Jwt;

namespace Vellum.Client.Tests;

/// <summary>Calling as a bearer token's user, with tokens from a real local OpenID issuer the node trusts.</summary>
public sealed class TokenAuthenticationTests : IAsyncLifetime
{
    private readonly LocalOpenIdIssuer _issuer = new();
    private TestTenant _tenant = null!;
    private LedgerNode _node = null!;

    public async Task InitializeAsync()
    {
        await _issuer.InitializeAsync();
        _tenant = _issuer.CreateTenant();
        var jwt = _issuer.Options(TimeProvider.System, _tenant);
        _node = await LedgerNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, Jwt = jwt });
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task ATokenUserAppendsAndReadsWithATokenAskedForOnEveryRequest()
    {
        const string objectId = "0b5c8d2e-3f41-4a7b-9c6d-1e2f3a4b5c6d";
        await _node.AdminClient().CreateOrUpdateUserAsync(objectId, "Contributor");
        var asked = 0;
        var client = _node.Client(LedgerCredential.FromToken(_ =>
        {
            Interlocked.Increment(ref asked);
            return ValueTask.FromResult(Token(objectId));
        }));

        var written = await client.PostLedgerEntryAsync("by token", waitForCommit: true);
        var entry = await client.GetLedgerEntryAsync(written.TransactionId);

        Assert.Equal("by token", entry.Contents);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task ATokenForNoUserIsForbiddenAndABadTokenIsUnauthorized()
    {
        var stranger = _node.Client(LedgerCredential.FromToken(_ => ValueTask.FromResult(Token("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"))));
        var forger = _node.Client(LedgerCredential.FromToken(_ => ValueTask.FromResult("not.a.token")));

        var forbidden = await Assert.ThrowsAsync<LedgerRequestException>(() => stranger.PostLedgerEntryAsync("refused"));
        var unauthorized = await Assert.ThrowsAsync<LedgerRequestException>(() => forger.PostLedgerEntryAsync("refused"));

        Assert.Equal((403, "Forbidden"), (forbidden.Status, forbidden.ErrorCode));
        Assert.Equal((401, "Unauthorized"), (unauthorized.Status, unauthorized.ErrorCode));
    }

    private string Token(string objectId)
    {
        var token = TestToken.For(_tenant.Issuer, _tenant.Ec, DateTimeOffset.UtcNow);
        token.Claims["oid"] = objectId;
        return token.SignedBy(_tenant.Ec);
    }
}
