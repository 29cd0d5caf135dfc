using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vellum.Node;

/// <summary>
/// The HTTPS host every API of a node runs in: Kestrel on <see cref="NodeOptions.Listen"/>, TLS 1.3
/// with the node's certificate and the service certificate as its chain, client certificates
/// asked for but judged by the API, not by TLS. The serving node and a node collecting recovery
/// shares build on it.
/// </summary>
internal static class ApiHost
{
    public static WebApplicationBuilder CreateBuilder(NodeOptions options, X509Certificate2 tlsCertificate, X509Certificate2 serviceCertificate)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(new HostLoggerFactory(options.LoggerFactory));
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel counts a chunked body's framing against its limit; the routes that read a
            // body hold it to the exact limit themselves (RequestReading.ReadBodyAsync), so the
            // server's own bound leaves room for the framing of chunks down to a few bytes each.
            kestrel.Limits.MaxRequestBodySize = (2L * options.MaxRequestBodyBytes) + 1024;
            kestrel.Listen(options.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = tlsCertificate,
                    ServerCertificateChain = [serviceCertificate],
                    SslProtocols = SslProtocols.Tls13,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,

                    // Any client certificate is accepted at the TLS layer, self-signed included:
                    // the caller is identified by its fingerprint and authorised by role afterwards.
                    ClientCertificateValidation = static (_, _, _) => true,
                    CheckCertificateRevocation = false,
                });
            });
        });

        return builder;
    }

    /// <summary>The address the host listens on: the requested one, with the port Kestrel chose when 0 was asked for.</summary>
    public static IPEndPoint BoundEndpoint(WebApplication app, IPEndPoint requested)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            ? new IPEndPoint(requested.Address, uri.Port)
            : requested;
    }
}
