using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Vellum.Client.Wire;

namespace Vellum.Client.Http;

/// <summary>
/// Sends requests to one ledger over one pooled HTTP client: TLS pinned to the ledger's identity,
/// the caller's certificate or token on every attempt, redirects to the primary followed with the
/// same method and body, and transient failures retried with backoff.
/// </summary>
internal sealed class LedgerPipeline : IDisposable
{
    public const string TransactionIdHeader = "x-ms-ccf-transaction-id";

    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new(LedgerRequest.Json);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly Func<CancellationToken, ValueTask<string>>? _tokenProvider;
    private readonly LedgerClientOptions _options;
    private readonly X509Certificate2 _service;
    private readonly string _apiVersionQuery;

    public LedgerPipeline(Uri endpoint, LedgerIdentity identity, LedgerCredential credential, LedgerClientOptions options)
    {
        _endpoint = endpoint;
        _options = options;
        _tokenProvider = credential.TokenProvider;
        _apiVersionQuery = "api-version=" + Uri.EscapeDataString(options.ApiVersion);
        _service = identity.CreateCertificate();
        var service = _service;
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed here instead, so that a 307 keeps the method, the body and the token.
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = credential.ClientCertificate is { } certificate ? [certificate] : null,
                RemoteCertificateValidationCallback = (_, presented, _, errors) => Vellum.Core.Identity.ServiceCertificatePin.ChainEndsAt(service, presented, errors),
            },
        };
        _http = new HttpClient(handler) { Timeout = options.RequestTimeout };
    }

    /// <summary>An <c>/app</c> path with the configured <c>api-version</c> appended.</summary>
    public string App(string pathAndQuery) =>
        string.Concat(pathAndQuery, pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?", _apiVersionQuery);

    /// <summary>A <c>nextLink</c> to follow: the service's link, with the <c>api-version</c> added only if it lacks one.</summary>
    public string NextLink(string nextLink) =>
        nextLink.Contains("api-version=", StringComparison.Ordinal) ? nextLink : App(nextLink);

    /// <summary>
    /// Sends <paramref name="request"/>, retrying transient failures, and returns the final answer,
    /// successful or not; the caller disposes it.
    /// </summary>
    /// <exception cref="LedgerRequestException">No answer came: the connection or the TLS handshake failed, or the request timed out.</exception>
    public async Task<HttpResponseMessage> SendAsync(LedgerRequest request, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendFollowingRedirectsAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException exception) when (retry < _options.MaxRetries && TransientFailures.IsTransient(exception, request.Idempotent))
            {
                await DelayAsync(TransientFailures.Delay(retry, null, _options, Random.Shared), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException exception)
            {
                throw TransportFailure(exception);
            }
            catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LedgerRequestException(0, LedgerRequestException.TimeoutCode, $"No answer came within {_options.RequestTimeout}.", exception);
            }

            if (retry >= _options.MaxRetries || (int)response.StatusCode < 429)
            {
                return response;
            }

            var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            if (!TransientFailures.IsTransient(response.StatusCode, error.Code, request.Idempotent))
            {
                return response;
            }

            var delay = TransientFailures.Delay(retry, response.Headers.RetryAfter, _options, Random.Shared);
            response.Dispose();
            await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends <paramref name="request"/> and deserializes a successful answer.</summary>
    /// <exception cref="LedgerRequestException">The answer is an error, or not the JSON promised.</exception>
    public async Task<T> SendForJsonAsync<T>(LedgerRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="request"/> and discards a successful answer's body.</summary>
    /// <exception cref="LedgerRequestException">The answer is an error.</exception>
    public async Task SendForSuccessAsync(LedgerRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws the service's error for an unsuccessful answer.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        throw new LedgerRequestException((int)response.StatusCode, error.Code ?? response.StatusCode.ToString(), error.Message ?? string.Empty);
    }

    /// <summary>Deserializes a successful answer's body as <typeparamref name="T"/>.</summary>
    /// <exception cref="LedgerRequestException">The body is not JSON of that shape.</exception>
    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var value = await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false);
                return value ?? throw InvalidResponse(response, "the body is null");
            }
        }
        catch (JsonException exception)
        {
            throw InvalidResponse(response, exception.Message, exception);
        }
    }

    /// <summary>An exception for an answer that does not have the shape the API promises.</summary>
    public static LedgerRequestException InvalidResponse(HttpResponseMessage response, string problem, Exception? inner = null) =>
        new((int)response.StatusCode, LedgerRequestException.InvalidResponseCode, $"The answer to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} is malformed: {problem}.", inner);

    /// <summary>The value of <c>x-ms-ccf-transaction-id</c>, if the answer has one.</summary>
    public static string? TransactionIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(TransactionIdHeader, out var values) ? values.FirstOrDefault() : null;

    public void Dispose()
    {
        _http.Dispose();
        _service.Dispose();
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(LedgerRequest request, CancellationToken cancellationToken)
    {
        var uri = new Uri(_endpoint, request.PathAndQuery);
        for (var redirects = 0; ; redirects++)
        {
            // Each attempt builds its own message: a sent message and its content cannot be sent again.
            using var message = await CreateMessageAsync(request, uri, cancellationToken).ConfigureAwait(false);
            var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is not (HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect) || response.Headers.Location is not { } location)
            {
                return response;
            }

            var status = (int)response.StatusCode;
            response.Dispose();
            var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
            if (redirects >= _options.MaxRedirects)
            {
                throw new LedgerRequestException(status, LedgerRequestException.TooManyRedirectsCode, $"The nodes redirected {request.Method} {request.PathAndQuery} more than {_options.MaxRedirects} times; no primary answered.");
            }

            // The pinned identity and the caller's certificate go with the request only over TLS.
            if (next.Scheme != Uri.UriSchemeHttps)
            {
                throw new LedgerRequestException(status, LedgerRequestException.InvalidResponseCode, $"{uri.Authority} redirected to {next}, which is not HTTPS.");
            }

            uri = next;
        }
    }

    private async ValueTask<HttpRequestMessage> CreateMessageAsync(LedgerRequest request, Uri uri, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(request.Method, uri);
        message.Headers.Accept.Add(AcceptJson);
        if (_tokenProvider is not null)
        {
            var token = await _tokenProvider(cancellationToken).ConfigureAwait(false);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType);
        }

        return message;
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _options.TimeProvider, cancellationToken);

    /// <summary>The error code and message of an answer, read from ACL's error body when it has one.</summary>
    public static async Task<ErrorBody> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Buffered, so that the body can be read again when the error is thrown after all.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonSerializer.Deserialize(text, WireJsonContext.Default.ErrorResponse)?.Error is { } error)
            {
                return new ErrorBody(error.Code, error.Message ?? response.ReasonPhrase ?? string.Empty);
            }
        }
        catch (JsonException)
        {
            // Not ACL's error shape (a proxy's page, say): the text itself is the best message there is.
        }

        var message = text.Length == 0 ? $"The service answered {(int)response.StatusCode} {response.ReasonPhrase} with no body." : text.Length > 500 ? text[..500] + "…" : text;
        return new ErrorBody(null, message);
    }

    private static LedgerRequestException TransportFailure(HttpRequestException exception) => exception.HttpRequestError == HttpRequestError.SecureConnectionError
        ? new LedgerRequestException(0, LedgerRequestException.SecureConnectionFailedCode, Vellum.Core.Identity.ServiceCertificatePin.HandshakeFailure(exception), exception)
        : new LedgerRequestException(0, LedgerRequestException.ConnectionFailedCode, exception.Message, exception);
}
