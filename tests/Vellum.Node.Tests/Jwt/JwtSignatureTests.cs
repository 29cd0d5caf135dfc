using System.Security.Cryptography;
using System.Text;

using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Jwt;

public sealed class JwtSignatureTests(LocalOpenIdIssuer server) : IClassFixture<LocalOpenIdIssuer>
{
    private readonly ManualClock _time = new(LocalOpenIdIssuer.Start);

    [Fact]
    public async Task ValidRs256TokenIsAcceptedWithItsObjectIdAsUserId()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);

        var result = await validator.ValidateAsync(TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow()).SignedBy(tenant.Rsa), default);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(TestToken.UserObjectId, result.UserId);
        Assert.Equal(tenant.Issuer, result.Issuer);
    }

    [Fact]
    public async Task ValidEs256TokenIsAcceptedWithItsObjectIdAsUserId()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Ec, _time.GetUtcNow());
        token.Claims["oid"] = "0b5d3a4e-1111-2222-3333-444455556666";

        var result = await validator.ValidateAsync(token.SignedBy(tenant.Ec), default);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal("0b5d3a4e-1111-2222-3333-444455556666", result.UserId);
    }

    [Fact]
    public async Task KeysAreFetchedOnceAndReusedForLaterTokens()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);

        for (var i = 0; i < 5; i++)
        {
            var key = i % 2 == 0 ? tenant.Rsa : tenant.Ec;
            Assert.True((await validator.ValidateAsync(TestToken.For(tenant.Issuer, key, _time.GetUtcNow()).SignedBy(key), default)).IsValid);
        }

        Assert.Equal(1, tenant.DiscoveryRequests);
        Assert.Equal(1, tenant.JwksRequests);
    }

    [Fact]
    public async Task TokenWhosePayloadWasChangedAfterSigningIsRejected()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow());
        var signed = token.SignedBy(tenant.Rsa);
        token.Claims["oid"] = "someone-else";
        var forged = token.SigningInput() + signed[signed.LastIndexOf('.')..];

        var result = await validator.ValidateAsync(forged, default);

        Assert.False(result.IsValid);
        Assert.Contains("signature is not valid", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenSignedByAnotherKeyUnderAPublishedKeyIdIsRejected()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        using var impostor = TestSigningKey.Ec(tenant.Ec.KeyId);

        var result = await validator.ValidateAsync(TestToken.For(tenant.Issuer, impostor, _time.GetUtcNow()).SignedBy(impostor), default);

        Assert.False(result.IsValid);
        Assert.Contains("signature is not valid", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Es256SignatureInDerFormIsRejected()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Ec, _time.GetUtcNow());

        var result = await validator.ValidateAsync(token.SignedBy(tenant.Ec, DSASignatureFormat.Rfc3279DerSequence), default);

        Assert.False(result.IsValid);
        Assert.Contains("signature is not valid", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    public async Task UnsignedTokenWithAlgNoneIsRejected(string alg)
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow());
        token.Header["alg"] = alg;

        var result = await validator.ValidateAsync(token.SigningInput() + ".", default);

        Assert.False(result.IsValid);
        Assert.Contains("algorithm is not accepted", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, tenant.JwksRequests);
    }

    [Fact]
    public async Task Hs256TokenKeyedWithTheIssuersPublicKeyIsRejected()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow());
        token.Header["alg"] = "HS256";
        var mac = HMACSHA256.HashData(tenant.Rsa.PublicKeyBytes(), Encoding.ASCII.GetBytes(token.SigningInput()));

        var result = await validator.ValidateAsync(token.WithSignature(mac), default);

        Assert.False(result.IsValid);
        Assert.Contains("algorithm is not accepted", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rs256HeaderNamingAnEcKeyIsRejected()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow());
        token.Header["kid"] = tenant.Ec.KeyId;

        var result = await validator.ValidateAsync(token.SignedBy(tenant.Rsa), default);

        Assert.False(result.IsValid);
        Assert.Contains("does not match the type of the key", result.FailureReason, StringComparison.Ordinal);
    }
}
