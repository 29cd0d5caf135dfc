using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node.Authentication.Jwt;

using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Jwt;

public sealed class JwtIssuerFetchTests(LocalOpenIdIssuer server) : IClassFixture<LocalOpenIdIssuer>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly ManualClock _time = new(LocalOpenIdIssuer.Start);

    [Theory]
    [InlineData("http://127.0.0.1:8080/tenant")]
    [InlineData("https://127.0.0.1/tenant?x=1")]
    [InlineData("https://user@127.0.0.1/tenant")]
    [InlineData("login.microsoftonline.com/tenant")]
    public void IssuerThatIsNotAPlainHttpsUrlIsRefusedAtConstruction(string issuer)
    {
        var exception = Assert.Throws<ArgumentException>(() => new JwtValidator(new JwtOptions { Issuers = [issuer] }));

        Assert.Contains(issuer, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeySetAddressThatIsNotHttpsIsRefused()
    {
        var tenant = server.CreateTenant();
        tenant.JwksUriOverride = tenant.Issuer.Replace("https://", "http://", StringComparison.Ordinal) + "/keys";
        using var validator = server.CreateValidator(_time, tenant);

        var result = await Validate(validator, tenant);

        Assert.False(result.IsValid);
        Assert.Contains("has no https 'jwks_uri'", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, tenant.JwksRequests);
    }

    [Fact]
    public async Task RedirectFromTheKeySetAddressIsNotFollowed()
    {
        var tenant = server.CreateTenant();
        tenant.JwksUriOverride = tenant.Issuer + "/moved-keys";
        using var validator = server.CreateValidator(_time, tenant);

        var result = await Validate(validator, tenant);

        Assert.False(result.IsValid);
        Assert.Contains("moved-keys answered HTTP 302", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, tenant.JwksRequests);
    }

    [Fact]
    public async Task DiscoveryDocumentNamingAnotherIssuerIsRefused()
    {
        var tenant = server.CreateTenant();
        var other = server.CreateTenant();
        tenant.DiscoveryIssuerOverride = other.Issuer;
        using var validator = server.CreateValidator(_time, tenant);

        var result = await Validate(validator, tenant);

        Assert.False(result.IsValid);
        Assert.Contains($"does not name {tenant.Issuer} as its issuer", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableIssuerGivesAFailureNotAnException()
    {
        var tenant = server.CreateTenant();
        var closedPort = ClosedLoopbackPort();
        var issuer = $"https://127.0.0.1:{closedPort}/nobody";
        using var validator = new JwtValidator(new JwtOptions { Issuers = [issuer], TimeProvider = _time });

        var result = await validator.ValidateAsync(TestToken.For(issuer, tenant.Rsa, _time.GetUtcNow()).SignedBy(tenant.Rsa), default);

        Assert.False(result.IsValid);
        Assert.Contains("could not be fetched", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("could not be reached", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssuerWhoseCertificateIsNotTrustedIsRefused()
    {
        var tenant = server.CreateTenant();
        using var validator = new JwtValidator(new JwtOptions { Issuers = [tenant.Issuer], TimeProvider = _time });

        var result = await Validate(validator, tenant);

        Assert.False(result.IsValid);
        Assert.Contains("TLS certificate that is not trusted", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, tenant.DiscoveryRequests);
    }

    [Fact]
    public async Task IssuerWhoseCertificateDoesNotChainToTheConfiguredAnchorIsRefused()
    {
        var tenant = server.CreateTenant();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherAnchor = new CertificateRequest("CN=Some Other Issuer", otherKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(LocalOpenIdIssuer.Start.AddYears(-1), LocalOpenIdIssuer.Start.AddYears(10));
        using var validator = new JwtValidator(new JwtOptions { Issuers = [tenant.Issuer], IssuerTrustAnchors = [otherAnchor], TimeProvider = _time });

        var result = await Validate(validator, tenant);

        Assert.False(result.IsValid);
        Assert.Contains("TLS certificate that is not trusted", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, tenant.DiscoveryRequests);
    }

    [Fact]
    public async Task IssuerThatDoesNotAnswerTimesOutOnTheInjectedClock()
    {
        var tenant = server.CreateTenant();
        tenant.StallDiscovery = true;

        // An hour, so that a timeout measured on the real clock could not fire within the guard.
        var options = new JwtOptions
        {
            Issuers = [tenant.Issuer],
            IssuerTrustAnchors = server.Options(_time, tenant).IssuerTrustAnchors,
            FetchTimeout = TimeSpan.FromHours(1),
            TimeProvider = _time,
        };
        using var validator = new JwtValidator(options);

        var validation = Validate(validator, tenant);
        await tenant.DiscoveryRequested.Task.WaitAsync(Guard);
        Assert.False(validation.IsCompleted);
        _time.Advance(options.FetchTimeout);
        var result = await validation.WaitAsync(Guard);

        Assert.False(result.IsValid);
        Assert.Contains("did not answer within 3600 s", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposingTheValidatorEndsAFetchInProgressWithAFailure()
    {
        var tenant = server.CreateTenant();
        tenant.StallDiscovery = true;
        var validator = server.CreateValidator(_time, tenant);

        var validation = Validate(validator, tenant);
        await tenant.DiscoveryRequested.Task.WaitAsync(Guard);
        validator.Dispose();
        var result = await validation.WaitAsync(Guard);

        Assert.False(result.IsValid);
        Assert.Contains("disposed", result.FailureReason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Validate(validator, tenant));
    }

    [Fact]
    public async Task OversizedKeySetIsRefused()
    {
        var tenant = server.CreateTenant();
        tenant.JwksPaddingBytes = 2 * 1024 * 1024;
        using var validator = server.CreateValidator(_time, tenant);

        var result = await Validate(validator, tenant);

        Assert.False(result.IsValid);
        Assert.Contains("sent more than 1048576 bytes", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeySetPaddedBelowTheSizeLimitIsAccepted()
    {
        var tenant = server.CreateTenant();
        tenant.JwksPaddingBytes = 512 * 1024;
        using var validator = server.CreateValidator(_time, tenant);

        var result = await Validate(validator, tenant);

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Fact]
    public async Task IssuerErrorIsReportedAndRetriedOnlyAfterTheRefreshInterval()
    {
        var tenant = server.CreateTenant();
        tenant.JwksUnavailable = true;
        var options = server.Options(_time, tenant);
        using var validator = new JwtValidator(options);

        var failed = await Validate(validator, tenant);
        var rateLimited = await Validate(validator, tenant);
        tenant.JwksUnavailable = false;
        _time.Advance(options.MinKeyRefreshInterval);
        var recovered = await Validate(validator, tenant);

        Assert.Contains("answered HTTP 503", failed.FailureReason, StringComparison.Ordinal);
        Assert.Contains("answered HTTP 503", rateLimited.FailureReason, StringComparison.Ordinal);
        Assert.True(recovered.IsValid, recovered.FailureReason);
        Assert.Equal(2, tenant.JwksRequests);
    }

    private Task<JwtValidationResult> Validate(JwtValidator validator, TestTenant tenant) =>
        validator.ValidateAsync(TestToken.For(tenant.Issuer, tenant.Rsa, _time.GetUtcNow()).SignedBy(tenant.Rsa), default);

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
