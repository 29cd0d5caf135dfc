using System.Net;
using System.Net.Http.Headers;

namespace Vellum.Client.Http;

/// <summary>
/// Which failures are worth retrying, and after how long. A failure is retried only when the
/// retry cannot change the outcome: for an append, only when the node says (or the connection
/// shows) that the request was not carried out; for requests safe to repeat, any 5xx too.
/// </summary>
internal static class TransientFailures
{
    /// <summary>A retired node refuses writes for good, and a rolled-back write is the caller's to decide on.</summary>
    private static readonly string[] PermanentUnavailableCodes = ["NodeRetired", "TransactionInvalid"];

    public static bool IsTransient(HttpStatusCode status, string? errorCode, bool idempotent)
    {
        if (status == HttpStatusCode.TooManyRequests)
        {
            return true;
        }

        if (status == HttpStatusCode.ServiceUnavailable)
        {
            return errorCode is null || !PermanentUnavailableCodes.Contains(errorCode, StringComparer.Ordinal);
        }

        return idempotent && (int)status >= 500 && status != HttpStatusCode.NotImplemented && status != HttpStatusCode.HttpVersionNotSupported;
    }

    /// <summary>
    /// A connection that could not be opened never carried the request, so any request may be
    /// retried; one that broke later may have, so only a request safe to repeat is. A failed TLS
    /// handshake is never retried: it usually means the node is not the pinned ledger.
    /// </summary>
    public static bool IsTransient(HttpRequestException exception, bool idempotent) => exception.HttpRequestError switch
    {
        HttpRequestError.ConnectionError => true,
        HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError => idempotent,
        _ => false,
    };

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (0 for the first): what
    /// <c>Retry-After</c> asks for when present, otherwise exponential backoff with equal jitter
    /// (half fixed, half random) so that clients failing together do not retry together; both capped.
    /// </summary>
    public static TimeSpan Delay(int retry, RetryConditionHeaderValue? retryAfter, LedgerClientOptions options, Random random)
    {
        var cap = options.MaxRetryDelay;
        if (retryAfter is not null)
        {
            var asked = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - options.TimeProvider.GetUtcNow() : TimeSpan.Zero);
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > cap ? cap : asked;
        }

        var exponential = options.InitialRetryDelay.Ticks * Math.Pow(2, Math.Min(retry, 30));
        var backoff = Math.Min(exponential, cap.Ticks);
        return TimeSpan.FromTicks((long)((backoff / 2) + (random.NextDouble() * backoff / 2)));
    }
}
