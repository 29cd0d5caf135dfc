using System.Diagnostics;
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
    public static HttpClient CreateClient(Uri baseAddress, X509Certificate2 clientCertificate, X509Certificate2 serviceCertificate)
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
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>Counts the requests that complete inside the measured window, their latencies, and the CPU time the process spent meanwhile.</summary>
    public static async Task<LoadResult> RunAsync(HttpClient client, LoadShape shape, byte[] body, TimeSpan warmup, TimeSpan measure)
    {
        var measureFrom = Stopwatch.GetTimestamp() + Ticks(warmup);
        var measureUntil = measureFrom + Ticks(measure);
        var workers = new Task<(List<long> Latencies, long Sent)>[shape.Clients];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(client, shape.Path, body, measureFrom, measureUntil));
        }

        var cpu = await CpuTimeBetweenAsync(measureFrom, measureUntil);
        var runs = await Task.WhenAll(workers);
        var latencies = runs.SelectMany(run => run.Latencies).ToArray();
        Array.Sort(latencies);
        return new LoadResult(
            latencies.Length / measure.TotalSeconds,
            Latencies.Milliseconds(latencies, 0.50),
            Latencies.Milliseconds(latencies, 0.99),
            cpu.TotalMicroseconds / Math.Max(1, latencies.Length),
            runs.Sum(run => run.Sent));
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

    private static async Task<(List<long> Latencies, long Sent)> WorkAsync(HttpClient client, string path, byte[] body, long measureFrom, long measureUntil)
    {
        var latencies = new List<long>();
        for (long sent = 0; ; sent++)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= measureUntil)
            {
                return (latencies, sent);
            }

            await PostAsync(client, path, body);
            var answered = Stopwatch.GetTimestamp();
            if (answered >= measureFrom && answered < measureUntil)
            {
                latencies.Add(answered - started);
            }
        }
    }

    private static async Task<TimeSpan> CpuTimeBetweenAsync(long from, long until)
    {
        await DelayUntilAsync(from);
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        await DelayUntilAsync(until);
        process.Refresh();
        return process.TotalProcessorTime - before;
    }

    private static Task DelayUntilAsync(long timestamp)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return wait > TimeSpan.Zero ? Task.Delay(wait) : Task.CompletedTask;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
