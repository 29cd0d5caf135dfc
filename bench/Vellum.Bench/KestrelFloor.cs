using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace Vellum.Bench;

/// <summary>
/// The HTTP floor: Kestrel on loopback with the TLS setup of a Vellum node (TLS 1.3 only, the
/// node's certificate and chain, client certificates asked for and accepted), answering every
/// request by reading its body, hashing it with SHA-256 and replying 200. No routing,
/// authentication, sequencing or storage: what any HTTPS write service pays at least.
/// </summary>
internal sealed class KestrelFloor : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2 _service;

    private KestrelFloor(WebApplication app, X509Certificate2 certificate, X509Certificate2 service, Uri baseAddress)
    {
        _app = app;
        _certificate = certificate;
        _service = service;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Serves with the node certificate, key and service certificate of a Vellum data folder.</summary>
    public static async Task<KestrelFloor> StartAsync(string dataDirectory)
    {
        var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(dataDirectory, "node_cert.pem"), Path.Combine(dataDirectory, "node_key.pem"));
        var service = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dataDirectory, "service_cert.pem"));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ServerCertificateChain = [service],
                    SslProtocols = SslProtocols.Tls13,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = static (_, _, _) => true,
                    CheckCertificateRevocation = false,
                });
            });
        });

        var app = builder.Build();
        app.Run(HashBodyAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelFloor(app, certificate, service, new Uri(address));
    }

    private static async Task HashBodyAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        ReadResult result;
        while (!(result = await reader.ReadAsync(context.RequestAborted)).IsCompleted)
        {
            // Leave the bytes buffered until the whole body is in, as the node does.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        var body = result.Buffer.ToArray();
        reader.AdvanceTo(result.Buffer.End);
        var digest = SHA256.HashData(body);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($"{{\"sha256\":\"{Convert.ToHexStringLower(digest)}\"}}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
        _service.Dispose();
    }
}
