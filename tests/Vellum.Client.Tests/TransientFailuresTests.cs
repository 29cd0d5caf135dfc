using System.Net;
using System.Net.Http.Headers;
using Vellum.Client.Http;

namespace Vellum.Client.Tests;

/// <summary>Which failures are retried, and the delays between retries: bounded, growing, jittered, and as the server asks.</summary>
public sealed class TransientFailuresTests
{
    private static readonly LedgerClientOptions Options = new()
    {
        InitialRetryDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
    };

    [Theory]
    [InlineData(0, 50, 100)]
    [InlineData(1, 100, 200)]
    [InlineData(3, 400, 800)]
    [InlineData(10, 1000, 2000)]
    public void BackoffDoublesWithJitterUpToTheCap(int retry, int lowestMilliseconds, int highestMilliseconds)
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => TransientFailures.Delay(retry, null, Options, random).TotalMilliseconds).ToList();

        Assert.All(delays, delay => Assert.InRange(delay, lowestMilliseconds, highestMilliseconds));
        Assert.True(delays.Distinct().Count() > 1, "the delays are jittered");
    }

    [Fact]
    public void RetryAfterIsHonouredButCapped()
    {
        var random = new Random(7);

        Assert.Equal(TimeSpan.FromSeconds(1), TransientFailures.Delay(0, new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)), Options, random));
        Assert.Equal(Options.MaxRetryDelay, TransientFailures.Delay(0, new RetryConditionHeaderValue(TimeSpan.FromHours(1)), Options, random));
        Assert.Equal(TimeSpan.Zero, TransientFailures.Delay(0, new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddMinutes(-1)), Options, random));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", false, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, null, false, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "NodeRetired", true, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "TransactionInvalid", false, false)]
    [InlineData(HttpStatusCode.TooManyRequests, null, false, true)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", true, true)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", false, false)]
    [InlineData(HttpStatusCode.BadGateway, null, false, false)]
    [InlineData(HttpStatusCode.NotImplemented, null, true, false)]
    [InlineData(HttpStatusCode.NotFound, "InvalidTransactionId", true, false)]
    [InlineData(HttpStatusCode.Forbidden, "Forbidden", true, false)]
    public void OnlyAnswersThatLeaveNothingDoneOrThatAreSafeToRepeatAreRetried(HttpStatusCode status, string? code, bool idempotent, bool transient) =>
        Assert.Equal(transient, TransientFailures.IsTransient(status, code, idempotent));

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, false, true)]
    [InlineData(HttpRequestError.ResponseEnded, true, true)]
    [InlineData(HttpRequestError.ResponseEnded, false, false)]
    [InlineData(HttpRequestError.SecureConnectionError, true, false)]
    [InlineData(HttpRequestError.NameResolutionError, true, false)]
    public void AConnectionThatNeverOpenedIsRetriedAndAFailedHandshakeNever(HttpRequestError error, bool idempotent, bool transient) =>
        Assert.Equal(transient, TransientFailures.IsTransient(new HttpRequestException(error, "test"), idempotent));
}
