using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node;

namespace Vellum.Cli.Commands;

/// <summary>
/// Calls one node's API the way ACL's clients do: TLS 1.3, the server's chain pinned to the
/// service certificate, an optional client certificate as the caller, and a 307 from a backup
/// followed to the primary with the same method.
/// </summary>
internal sealed class NodeApiClient : IDisposable
{
    private const int MaxRedirects = 5;
    private readonly HttpClient _client;
    private readonly X509Certificate2 _service;
    private readonly X509Certificate2? _caller;

    /// <param name="target">The node first asked, <c>https://host:port/</c>.</param>
    /// <param name="service">The pinned service certificate; the client owns it from now on.</param>
    /// <param name="caller">The caller's certificate with its key, or null to call without one; the client owns it from now on.</param>
    public NodeApiClient(Uri target, X509Certificate2 service, X509Certificate2? caller)
    {
        Target = target;
        _service = service;
        _caller = caller;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = caller is null ? null : [caller],
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(service, presented, errors),
            },
        };
        _client = new HttpClient(handler);
    }

    /// <summary>The node first asked.</summary>
    public Uri Target { get; }

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> to the target, following redirects to the primary.</summary>
    /// <exception cref="HttpRequestException">A node cannot be reached, or its TLS certificate does not chain to the service certificate.</exception>
    /// <exception cref="InvalidOperationException">The nodes redirect too often, or somewhere other than another node's API.</exception>
    public Task<NodeApiResponse> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken) =>
        SendAsync(method, path, jsonBody: null, cancellationToken);

    /// <summary>
    /// Sends <paramref name="method"/> <paramref name="path"/> with <paramref name="jsonBody"/> (when not null) as
    /// <c>application/json</c>, following redirects to the primary with the same method and body, as a 307 asks.
    /// </summary>
    /// <exception cref="HttpRequestException">A node cannot be reached, or its TLS certificate does not chain to the service certificate.</exception>
    /// <exception cref="InvalidOperationException">The nodes redirect too often, or somewhere other than another node's API.</exception>
    public async Task<NodeApiResponse> SendAsync(HttpMethod method, string path, string? jsonBody, CancellationToken cancellationToken)
    {
        var uri = new Uri(Target, path);
        for (var redirects = 0; redirects <= MaxRedirects; redirects++)
        {
            // Each attempt builds its own request: a sent request and its content cannot be sent again.
            using var request = new HttpRequestMessage(method, uri);
            if (jsonBody is not null)
            {
                request.Content = new StringContent(jsonBody, System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await SendOnceAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TemporaryRedirect && response.Headers.Location is { } location)
            {
                uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (uri.Scheme != Uri.UriSchemeHttps)
                {
                    throw new InvalidOperationException($"{request.RequestUri!.Authority} redirected to {uri}, which is not HTTPS.");
                }

                continue;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var transactionId = response.Headers.TryGetValues("x-ms-ccf-transaction-id", out var values) ? values.FirstOrDefault() : null;
            return new NodeApiResponse(response.StatusCode, body, transactionId, uri.Authority);
        }

        throw new InvalidOperationException($"The nodes redirected the request more than {MaxRedirects} times; no primary answered.");
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            throw Explained(exception);
        }
    }

    /// <summary>
    /// Sends GET <paramref name="path"/> to the target and returns as soon as the headers arrive,
    /// so that a large body can be streamed; reads are answered by any node, so no redirect is followed.
    /// </summary>
    /// <exception cref="HttpRequestException">The node cannot be reached, or its TLS certificate does not chain to the service certificate.</exception>
    public async Task<HttpResponseMessage> GetStreamingAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Target, path));
        return await SendOnceAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>
    /// A failed TLS handshake as one line a user can act on, explained as the SDK explains it
    /// (<c>SecureConnectionFailed: ...</c>) since a node refused by the pin is its usual cause,
    /// with the innermost reason instead of "see inner exception".
    /// </summary>
    private static HttpRequestException Explained(HttpRequestException exception)
    {
        return new HttpRequestException(
            HttpRequestError.SecureConnectionError,
            $"{Client.LedgerRequestException.SecureConnectionFailedCode}: {Core.Identity.ServiceCertificatePin.HandshakeFailure(exception)}",
            exception);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _service.Dispose();
        _caller?.Dispose();
    }
}
