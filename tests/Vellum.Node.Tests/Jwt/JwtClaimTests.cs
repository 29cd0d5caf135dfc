using Vellum.Node.Authentication.Jwt;

using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Jwt;

public sealed class JwtClaimTests(LocalOpenIdIssuer server) : IClassFixture<LocalOpenIdIssuer>
{
    private readonly ManualClock _time = new(LocalOpenIdIssuer.Start);

    [Fact]
    public async Task TokenFromAnIssuerThatIsNotConfiguredIsRejectedWithoutContactingIt()
    {
        var trusted = server.CreateTenant();
        var stranger = server.CreateTenant();
        using var validator = server.CreateValidator(_time, trusted);

        var result = await validator.ValidateAsync(TestToken.For(stranger.Issuer, stranger.Rsa, _time.GetUtcNow()).SignedBy(stranger.Rsa), default);

        Assert.False(result.IsValid);
        Assert.Contains("issuer ('iss') is not trusted", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, stranger.DiscoveryRequests);
    }

    [Fact]
    public async Task TokenClaimingOneIssuerButSignedWithAnotherIssuersKeyIsRejected()
    {
        var issuerA = server.CreateTenant();
        var issuerB = server.CreateTenant();
        using var validator = server.CreateValidator(_time, issuerA, issuerB);

        var result = await validator.ValidateAsync(TestToken.For(issuerB.Issuer, issuerA.Rsa, _time.GetUtcNow()).SignedBy(issuerA.Rsa), default);

        Assert.False(result.IsValid);
        Assert.Contains($"not among the signing keys of issuer {issuerB.Issuer}", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyIdSharedByTwoIssuersOnlyValidatesWithTheClaimedIssuersKey()
    {
        var issuerA = server.CreateTenant();
        var issuerB = server.CreateTenant();
        using var sameKidInB = TestSigningKey.DistinctRsa(issuerA.Rsa.KeyId);
        issuerB.Publish(sameKidInB);
        using var validator = server.CreateValidator(_time, issuerA, issuerB);

        var forged = await validator.ValidateAsync(TestToken.For(issuerB.Issuer, issuerA.Rsa, _time.GetUtcNow()).SignedBy(issuerA.Rsa), default);
        var genuine = await validator.ValidateAsync(TestToken.For(issuerB.Issuer, sameKidInB, _time.GetUtcNow()).SignedBy(sameKidInB), default);

        Assert.False(forged.IsValid);
        Assert.Contains("signature is not valid", forged.FailureReason, StringComparison.Ordinal);
        Assert.True(genuine.IsValid, genuine.FailureReason);
    }

    [Fact]
    public async Task IssuerWithATrailingSlashMatchesTheConfiguredIssuer()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);

        var result = await validator.ValidateAsync(TestToken.For(tenant.Issuer + "/", tenant.Rsa, _time.GetUtcNow()).SignedBy(tenant.Rsa), default);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(tenant.Issuer + "/", result.Issuer);
    }

    [Fact]
    public async Task IssuerDifferingInCaseIsRejected()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);

        var result = await validator.ValidateAsync(TestToken.For(tenant.Issuer.ToUpperInvariant(), tenant.Rsa, _time.GetUtcNow()).SignedBy(tenant.Rsa), default);

        Assert.False(result.IsValid);
        Assert.Contains("is not trusted", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenForAnotherAudienceIsRejected()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow());
        token.Claims["aud"] = "https://management.azure.com";

        var result = await validator.ValidateAsync(token.SignedBy(tenant.Rsa), default);

        Assert.False(result.IsValid);
        Assert.Contains("audience ('aud') is not accepted", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://confidential-ledger.azure.com/", null)]
    [InlineData("https://management.azure.com", "https://confidential-ledger.azure.com")]
    public async Task AudienceWithTrailingSlashOrInAnArrayIsAccepted(string audience, string? secondAudience)
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Ec, _time.GetUtcNow());
        token.Claims["aud"] = secondAudience is null ? audience : new[] { audience, secondAudience };

        var result = await validator.ValidateAsync(token.SignedBy(tenant.Ec), default);

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Fact]
    public async Task ConfiguredAudienceReplacesTheDefault()
    {
        var tenant = server.CreateTenant();
        using var validator = new JwtValidator(new JwtOptions
        {
            Issuers = [tenant.Issuer],
            Audiences = ["api://vellum-test"],
            IssuerTrustAnchors = server.Options(_time, tenant).IssuerTrustAnchors,
            TimeProvider = _time,
        });
        var token = TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow());

        var defaultAudience = await validator.ValidateAsync(token.SignedBy(tenant.Rsa), default);
        token.Claims["aud"] = "api://vellum-test";
        var configuredAudience = await validator.ValidateAsync(token.SignedBy(tenant.Rsa), default);

        Assert.False(defaultAudience.IsValid);
        Assert.True(configuredAudience.IsValid, configuredAudience.FailureReason);
    }

    [Fact]
    public async Task TokenIsAcceptedUntilItsExpiryPlusSkewAndRejectedAfter()
    {
        var tenant = server.CreateTenant();
        var options = server.Options(_time, tenant);
        using var validator = new JwtValidator(options);
        var token = TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow()).SignedBy(tenant.Rsa);

        _time.Advance(TimeSpan.FromHours(1) + options.ClockSkew - TimeSpan.FromSeconds(1));
        var justBefore = await validator.ValidateAsync(token, default);
        _time.Advance(TimeSpan.FromSeconds(1));
        var atExpiry = await validator.ValidateAsync(token, default);

        Assert.True(justBefore.IsValid, justBefore.FailureReason);
        Assert.False(atExpiry.IsValid);
        Assert.Contains("has expired", atExpiry.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenNotValidYetIsRejectedUntilItsNotBeforeMinusSkew()
    {
        var tenant = server.CreateTenant();
        var options = server.Options(_time, tenant);
        using var validator = new JwtValidator(options);
        var token = TestToken.For(tenant.Issuer, tenant.Ec, _time.GetUtcNow());
        token.Claims["nbf"] = _time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();
        var signed = token.SignedBy(tenant.Ec);

        var early = await validator.ValidateAsync(signed, default);
        _time.Advance(TimeSpan.FromMinutes(10) - options.ClockSkew);
        var withinSkew = await validator.ValidateAsync(signed, default);

        Assert.False(early.IsValid);
        Assert.Contains("not valid yet", early.FailureReason, StringComparison.Ordinal);
        Assert.True(withinSkew.IsValid, withinSkew.FailureReason);
    }

    [Theory]
    [InlineData("exp", null, "no 'exp' claim")]
    [InlineData("exp", "tomorrow", "'exp' claim is not a number")]
    [InlineData("nbf", "yesterday", "'nbf' claim is not a number")]
    [InlineData("aud", null, "no audience")]
    [InlineData("oid", null, "no object id ('oid')")]
    [InlineData("oid", "", "no object id ('oid')")]
    public async Task TokenWithAMissingOrMistypedClaimIsRejected(string claim, string? value, string reason)
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow());
        if (value is null)
        {
            token.Claims.Remove(claim);
        }
        else
        {
            token.Claims[claim] = value;
        }

        var result = await validator.ValidateAsync(token.SignedBy(tenant.Rsa), default);

        Assert.False(result.IsValid);
        Assert.Contains(reason, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NumericObjectIdIsNotTakenAsAUserId()
    {
        var tenant = server.CreateTenant();
        using var validator = server.CreateValidator(_time, tenant);
        var token = TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow());
        token.Claims["oid"] = 42;

        var result = await validator.ValidateAsync(token.SignedBy(tenant.Rsa), default);

        Assert.False(result.IsValid);
        Assert.Contains("no object id", result.FailureReason, StringComparison.Ordinal);
    }
}
