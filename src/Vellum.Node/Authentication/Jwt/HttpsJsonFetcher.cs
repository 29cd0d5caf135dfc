using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// GETs a JSON document over HTTPS with a size bound and a timeout measured on the injected clock.
/// Every failure comes back as a short reason; no exception other than the caller's own
/// cancellation leaves <see cref="GetAsync"/>.
/// </summary>
internal sealed class HttpsJsonFetcher : IDisposable
{
    /// <summary>The largest response accepted: discovery documents and key sets are a few KiB.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    private readonly HttpClient _http;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;

    /// <summary>Creates a fetcher that owns <paramref name="handler"/>.</summary>
    public HttpsJsonFetcher(HttpMessageHandler handler, TimeProvider timeProvider, TimeSpan timeout)
    {
        // The timeout is enforced below on the injected clock, not by HttpClient's own timer.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _timeProvider = timeProvider;
        _timeout = timeout;
    }

    /// <summary>Fetches and parses <paramref name="uri"/>; the caller disposes the document.</summary>
    public async Task<(JsonDocument? Document, string? Failure)> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return (null, $"{uri} is not an https URL");
        }

        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"{uri} answered HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > MaxResponseBytes)
            {
                return (null, $"{uri} sent more than {MaxResponseBytes} bytes");
            }

            var body = await ReadBoundedAsync(response.Content, linked.Token);
            return body is null
                ? (null, $"{uri} sent more than {MaxResponseBytes} bytes")
                : (JsonDocument.Parse(body, DocumentOptions), null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"{uri} did not answer within {_timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException exception) when (exception.InnerException is AuthenticationException)
        {
            return (null, $"{uri} presented a TLS certificate that is not trusted");
        }
        catch (HttpRequestException exception)
        {
            return (null, $"{uri} could not be reached ({exception.HttpRequestError})");
        }
        catch (IOException)
        {
            return (null, $"{uri} closed the connection early");
        }
        catch (JsonException)
        {
            return (null, $"{uri} did not send valid JSON");
        }
    }

    /// <summary>Disposes the HTTP client and its handler.</summary>
    public void Dispose() => _http.Dispose();

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
