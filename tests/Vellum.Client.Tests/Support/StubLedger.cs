using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vellum.Client.Tests.Support;

/// <summary>
/// A stand-in ledger on loopback: real Kestrel over real TLS, with a service certificate of its
/// own that issues its TLS certificate (as a node's is issued), answering every request with a
/// handler the test gives. For behaviour a real node cannot be made to show on demand.
/// </summary>
internal sealed class StubLedger : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _tlsCertificate;
    private int _requests;

    private StubLedger(WebApplication app, X509Certificate2 tlsCertificate, string servicePem)
    {
        _app = app;
        _tlsCertificate = tlsCertificate;
        Identity = LedgerIdentity.FromPem(servicePem, "stub");
    }

    /// <summary>The stub's service certificate, which its TLS chain ends at.</summary>
    public LedgerIdentity Identity { get; }

    public Uri Endpoint => new(_app.Urls.Single());

    /// <summary>How many requests reached the handler.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<StubLedger> StartAsync(Func<HttpContext, int, Task> handle)
    {
        var (servicePem, tlsCertificate) = IssueChain();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(tlsCertificate)));
        var app = builder.Build();
        StubLedger? stub = null;
        app.Run(context => handle(context, Interlocked.Increment(ref stub!._requests)));
        stub = new StubLedger(app, tlsCertificate, servicePem);
        await app.StartAsync();
        return stub;
    }

    /// <summary>Writes <paramref name="json"/> with <paramref name="status"/>, as the ledger answers.</summary>
    public static Task AnswerAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _tlsCertificate.Dispose();
    }

    private static (string ServicePem, X509Certificate2 Tls) IssueChain()
    {
        var now = DateTimeOffset.UtcNow;
        using var serviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serviceRequest = new CertificateRequest("CN=Stub Service", serviceKey, HashAlgorithmName.SHA256);
        serviceRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        serviceRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        serviceRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serviceRequest.PublicKey, critical: false));
        using var service = serviceRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var nodeKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var nodeRequest = new CertificateRequest("CN=Stub Node", nodeKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        nodeRequest.CertificateExtensions.Add(names.Build());
        nodeRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        nodeRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(service, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issued = nodeRequest.Create(service, now.AddDays(-1), now.AddDays(29), [1, 2, 3, 4]);
        using var withKey = issued.CopyWithPrivateKey(nodeKey);
        var tls = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return (service.ExportCertificatePem(), tls);
    }
}
