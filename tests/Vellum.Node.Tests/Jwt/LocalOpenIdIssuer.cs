using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vellum.Node.Authentication.Jwt;

namespace Vellum.Node.Tests.Jwt;

/// <summary>
/// A real OpenID issuer on loopback: Kestrel over HTTPS with a self-signed certificate, serving
/// for each tenant <c>/{tenant}/.well-known/openid-configuration</c> and <c>/{tenant}/keys</c>.
/// Each test creates its own tenant, so tests share the server but not keys or request counts.
/// </summary>
public sealed class LocalOpenIdIssuer : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, TestTenant> _tenants = [];
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _tenantCount;

    /// <summary>The server's self-signed certificate (for 127.0.0.1), which validators are told to trust.</summary>
    public X509Certificate2 Certificate { get; } = CreateCertificate();

    /// <summary>The server's base URL, <c>https://127.0.0.1:{port}</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificate)));
        _app = builder.Build();
        _app.MapGet("/{tenant}/.well-known/openid-configuration", ServeDiscoveryAsync);
        _app.MapGet("/{tenant}/keys", ServeKeySetAsync);
        _app.MapGet("/{tenant}/moved-keys", (string tenant) => Results.Redirect($"{BaseUrl}/{tenant}/keys"));
        await _app.StartAsync();
        BaseUrl = _app.Urls.Single().TrimEnd('/');
    }

    public TestTenant CreateTenant()
    {
        lock (_tenants)
        {
            var tenant = new TestTenant(BaseUrl, $"tenant{++_tenantCount}");
            _tenants[tenant.Issuer[(BaseUrl.Length + 1)..]] = tenant;
            return tenant;
        }
    }

    /// <summary>A validator that trusts <paramref name="issuers"/> and this server's certificate, on <paramref name="time"/>.</summary>
    public JwtValidator CreateValidator(TimeProvider time, params TestTenant[] issuers) =>
        new(Options(time, issuers));

    public JwtOptions Options(TimeProvider time, params TestTenant[] issuers) => new()
    {
        Issuers = issuers.Select(tenant => tenant.Issuer).ToList(),
        IssuerTrustAnchors = [X509CertificateLoader.LoadCertificate(Certificate.RawData)],
        TimeProvider = time,
    };

    public async Task DisposeAsync()
    {
        _stopping.TrySetResult();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        foreach (var tenant in _tenants.Values)
        {
            tenant.Dispose();
        }

        Certificate.Dispose();
    }

    private async Task<IResult> ServeDiscoveryAsync(string tenant, HttpContext context)
    {
        if (Find(tenant) is not { } found)
        {
            return Results.NotFound();
        }

        var document = found.DiscoveryDocument($"{BaseUrl}/{tenant}/keys");
        if (found.StallDiscovery)
        {
            await Task.WhenAny(Task.Delay(Timeout.Infinite, context.RequestAborted), _stopping.Task);
        }

        return Results.Text(document, "application/json");
    }

    private async Task ServeKeySetAsync(string tenant, HttpContext context)
    {
        if (Find(tenant) is not { } found)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var keySet = found.KeySet();
        found.JwksRequested.TrySetResult();
        if (found.JwksGate is { } gate)
        {
            await Task.WhenAny(gate.Task, _stopping.Task);
        }

        if (found.JwksUnavailable)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(keySet[..^1]);
        if (found.JwksPaddingBytes > 0)
        {
            // Streamed in pieces so that no Content-Length announces the size in advance.
            await context.Response.WriteAsync(",\"padding\":\"");
            var piece = new string('x', 64 * 1024);
            for (var written = 0; written < found.JwksPaddingBytes; written += piece.Length)
            {
                await context.Response.WriteAsync(piece);
                await context.Response.Body.FlushAsync();
            }

            await context.Response.WriteAsync("\"");
        }

        await context.Response.WriteAsync("}");
    }

    private TestTenant? Find(string name)
    {
        lock (_tenants)
        {
            return _tenants.GetValueOrDefault(name);
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Local OpenID Issuer", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));

        // Real dates (not the fake clock): the TLS stack checks them against the machine's clock.
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
