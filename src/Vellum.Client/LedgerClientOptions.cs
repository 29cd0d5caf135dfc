namespace Vellum.Client;

/// <summary>How a <see cref="LedgerClient"/> retries, polls, follows redirects and which API version it speaks.</summary>
public sealed class LedgerClientOptions
{
    /// <summary>The API version the client sends by default: the first with <c>/app/ledgerUsers</c> and <c>/app/roles</c>.</summary>
    public const string DefaultApiVersion = "2024-08-22-preview";

    /// <summary>The <c>api-version</c> sent with every <c>/app</c> request.</summary>
    public string ApiVersion { get; init; } = DefaultApiVersion;

    /// <summary>
    /// How many times a transient failure (429, 503, other 5xx for requests safe to repeat, a failed
    /// connection) is retried before it surfaces; 0 turns retries off.
    /// </summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The delay before the first retry; each later one doubles it, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between retries, including one a <c>Retry-After</c> header asks for.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first delay when polling for a state change (an entry loading, a transaction committing).</summary>
    public TimeSpan InitialPollDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest delay between polls; polling itself goes on until the state changes or the call is cancelled.</summary>
    public TimeSpan MaxPollDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many redirects (307 or 308, from a backup to the primary) one request may follow.</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>How long one HTTP exchange may take before it is abandoned.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The clock that retry and poll delays are measured with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ApiVersion, nameof(ApiVersion));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRedirects, nameof(MaxRedirects));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialRetryDelay, TimeSpan.Zero, nameof(InitialRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, InitialRetryDelay, nameof(MaxRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialPollDelay, TimeSpan.Zero, nameof(InitialPollDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPollDelay, InitialPollDelay, nameof(MaxPollDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
