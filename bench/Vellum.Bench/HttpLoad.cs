using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node;

namespace Vellum.Bench;

/// <summary>
/// The load generator every HTTP benchmark shares: N clients on N HTTP/1.1 connections, each
/// sending the same POST as soon as its previous answer arrived, for a warm-up and then a
/// measured window.
/// </summary>
internal static class HttpLoad
{
    /// <summary>A client as ACL's libraries make one: TLS 1.3, a client certificate, and the service certificate pinned.</summary>
    /// <remarks>Over HTTP/1.1 every client in flight gets its own connection; over HTTP/2 they share one, as streams.</remarks>
    public static HttpClient CreateClient(Uri baseAddress, X509Certificate2 clientCertificate, X509Certificate2 serviceCertificate, Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            // A redirect means the primary changed: the run must fail, not follow it.
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = [clientCertificate],
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(serviceCertificate, presented, errors),
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>Counts the requests that complete inside the measured window, their latencies, and the CPU time the process spent meanwhile.</summary>
    public static Task<LoadResult> RunAsync(HttpClient client, LoadShape shape, byte[] body, TimeSpan warmup, TimeSpan measure)
        => LoadRunner.RunAsync([.. Enumerable.Repeat<Func<Task>>(() => PostAsync(client, shape.Path, body), shape.Clients)], warmup, measure);

    /// <summary>Sends one GET and fails unless it is answered 200.</summary>
    public static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Sends one POST and fails unless it is answered 200.</summary>
    public static async Task PostAsync(HttpClient client, string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(path, content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.ReadAsByteArrayAsync();
    }
}
