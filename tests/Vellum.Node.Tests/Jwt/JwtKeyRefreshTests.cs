using Vellum.Node.Authentication.Jwt;

using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Jwt;

public sealed class JwtKeyRefreshTests(LocalOpenIdIssuer server) : IClassFixture<LocalOpenIdIssuer>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly ManualClock _time = new(LocalOpenIdIssuer.Start);

    [Fact]
    public async Task KeyAddedByTheIssuerIsFetchedWhenATokenNamesIt()
    {
        var tenant = server.CreateTenant();
        var options = server.Options(_time, tenant);
        using var validator = new JwtValidator(options);
        Assert.True((await Validate(validator, tenant, tenant.Rsa)).IsValid);
        using var rotated = TestSigningKey.Rsa("rotated-rsa");
        tenant.Publish(rotated);
        _time.Advance(options.MinKeyRefreshInterval);

        var result = await Validate(validator, tenant, rotated);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(2, tenant.JwksRequests);
    }

    [Fact]
    public async Task UnknownKeyIdsWithinTheRefreshIntervalCauseNoFurtherFetches()
    {
        var tenant = server.CreateTenant();
        var options = server.Options(_time, tenant);
        using var validator = new JwtValidator(options);
        Assert.True((await Validate(validator, tenant, tenant.Ec)).IsValid);
        var forgers = Enumerable.Range(0, 8).Select(i => TestSigningKey.Ec($"forged-{i}")).ToList();

        var flood = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Validate(validator, tenant, forgers[i % forgers.Count])));
        var fetchesDuringFlood = tenant.JwksRequests;
        _time.Advance(options.MinKeyRefreshInterval);
        var secondFlood = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Validate(validator, tenant, forgers[i % forgers.Count])));

        Assert.All(flood.Concat(secondFlood), result => Assert.Contains("not among the signing keys", result.FailureReason, StringComparison.Ordinal));
        Assert.Equal(1, fetchesDuringFlood);
        Assert.Equal(2, tenant.JwksRequests);
        forgers.ForEach(key => key.Dispose());
    }

    [Fact]
    public async Task RotatedKeyIsRejectedUntilTheRefreshIntervalHasPassed()
    {
        var tenant = server.CreateTenant();
        var options = server.Options(_time, tenant);
        using var validator = new JwtValidator(options);
        Assert.True((await Validate(validator, tenant, tenant.Rsa)).IsValid);
        using var rotated = TestSigningKey.Ec("rotated-ec");
        tenant.Publish(rotated);

        var tooSoon = await Validate(validator, tenant, rotated);
        _time.Advance(options.MinKeyRefreshInterval - TimeSpan.FromSeconds(1));
        var stillTooSoon = await Validate(validator, tenant, rotated);
        _time.Advance(TimeSpan.FromSeconds(1));
        var afterInterval = await Validate(validator, tenant, rotated);

        Assert.False(tooSoon.IsValid);
        Assert.False(stillTooSoon.IsValid);
        Assert.True(afterInterval.IsValid, afterInterval.FailureReason);
        Assert.Equal(2, tenant.JwksRequests);
    }

    [Fact]
    public async Task ConcurrentTokensShareOneFetch()
    {
        var tenant = server.CreateTenant();
        tenant.JwksGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var validator = server.CreateValidator(_time, tenant);

        var validations = Enumerable.Range(0, 20).Select(i => Validate(validator, tenant, i % 2 == 0 ? tenant.Rsa : tenant.Ec)).ToList();
        await tenant.JwksRequested.Task.WaitAsync(Guard);
        Assert.All(validations, validation => Assert.False(validation.IsCompleted));
        tenant.JwksGate.SetResult();
        var results = await Task.WhenAll(validations).WaitAsync(Guard);

        Assert.All(results, result => Assert.True(result.IsValid, result.FailureReason));
        Assert.Equal(1, tenant.DiscoveryRequests);
        Assert.Equal(1, tenant.JwksRequests);
    }

    [Fact]
    public async Task KeyWithdrawnByTheIssuerIsRejectedOnceTheCacheLifetimeHasPassed()
    {
        var tenant = server.CreateTenant();
        var options = server.Options(_time, tenant);
        using var validator = new JwtValidator(options);
        Assert.True((await Validate(validator, tenant, tenant.Rsa)).IsValid);
        tenant.Withdraw(tenant.Rsa);

        var beforeLifetime = await Validate(validator, tenant, tenant.Rsa);
        _time.Advance(options.KeyCacheLifetime);
        var afterLifetime = await Validate(validator, tenant, tenant.Rsa);

        Assert.True(beforeLifetime.IsValid, beforeLifetime.FailureReason);
        Assert.False(afterLifetime.IsValid);
        Assert.Contains("not among the signing keys", afterLifetime.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CachedKeysStayInUseWhenTheIssuerFailsAfterTheCacheLifetime()
    {
        var tenant = server.CreateTenant();
        var options = server.Options(_time, tenant);
        using var validator = new JwtValidator(options);
        Assert.True((await Validate(validator, tenant, tenant.Ec)).IsValid);
        tenant.JwksUnavailable = true;
        _time.Advance(options.KeyCacheLifetime);

        var result = await Validate(validator, tenant, tenant.Ec);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(2, tenant.JwksRequests);
    }

    private Task<JwtValidationResult> Validate(JwtValidator validator, TestTenant tenant, TestSigningKey key) =>
        validator.ValidateAsync(TestToken.For(tenant.Issuer, key, _time.GetUtcNow()).SignedBy(key), default);
}
