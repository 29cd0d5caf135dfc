using System.Text.Json;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// The signing keys of one issuer, found through its OpenID configuration
/// (<c>{issuer}/.well-known/openid-configuration</c> → <c>jwks_uri</c>) and cached. A key id not
/// in the cache triggers a refresh, at most one per <see cref="JwtOptions.MinKeyRefreshInterval"/>;
/// callers that need keys while a refresh runs wait for that one instead of starting their own.
/// </summary>
internal sealed class OpenIdKeySource
{
    private readonly HttpsJsonFetcher _fetcher;
    private readonly JwtOptions _options;
    private readonly Uri _discoveryUri;
    private readonly CancellationToken _stopping;
    private readonly Lock _gate = new();

    // Replaced whole by each successful refresh, so readers need no lock.
    private volatile KeySnapshot? _snapshot;

    // Guarded by _gate.
    private Task<string?>? _refresh;
    private DateTimeOffset? _lastRefreshStart;
    private string? _lastFailure;

    /// <summary>Creates the source for <paramref name="issuer"/>, an https URL already checked by the validator.</summary>
    public OpenIdKeySource(string issuer, HttpsJsonFetcher fetcher, JwtOptions options, CancellationToken stopping)
    {
        Issuer = issuer;
        _discoveryUri = new Uri(TrailingSlash.Trim(issuer) + "/.well-known/openid-configuration");
        _fetcher = fetcher;
        _options = options;
        _stopping = stopping;
    }

    /// <summary>The issuer as configured.</summary>
    public string Issuer { get; }

    /// <summary>The key the issuer published as <paramref name="keyId"/>, or the reason there is none.</summary>
    public async Task<(SigningKey? Key, string? Failure)> GetKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var snapshot = _snapshot;
        var fresh = snapshot is not null && now - snapshot.FetchedAt < _options.KeyCacheLifetime;
        if (fresh && snapshot!.Keys.TryGetValue(keyId, out var cached))
        {
            return (cached, null);
        }

        var refresh = StartOrJoinRefresh(now);
        var refreshFailure = refresh is null ? null : await refresh.WaitAsync(cancellationToken);

        // After a failed refresh the previous keys stay in use, stale or not: an issuer outage
        // should not lock every user out, and those keys were genuinely the issuer's.
        var current = _snapshot;
        if (current is not null && current.Keys.TryGetValue(keyId, out var key))
        {
            return (key, null);
        }

        var fetchFailure = refreshFailure ?? (current is null ? LastFailure() ?? "no key set has been fetched yet" : null);
        return (null, fetchFailure is not null
            ? $"The signing keys of issuer {Issuer} could not be fetched: {fetchFailure}."
            : $"The token's key id is not among the signing keys of issuer {Issuer}.");
    }

    private string? LastFailure()
    {
        lock (_gate)
        {
            return _lastFailure;
        }
    }

    private Task<string?>? StartOrJoinRefresh(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false })
            {
                return _refresh;
            }

            if (_lastRefreshStart is { } last && now - last < _options.MinKeyRefreshInterval)
            {
                return null;
            }

            _lastRefreshStart = now;

            // Run off the caller's stack so that no I/O starts while the lock is held.
            _refresh = Task.Run(RefreshAsync, CancellationToken.None);
            return _refresh;
        }
    }

    /// <summary>Fetches the key set; returns null on success, otherwise why it failed.</summary>
    private async Task<string?> RefreshAsync()
    {
        string? failure;
        try
        {
            failure = await FetchAsync();
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            failure = "the validator was disposed";
        }
        catch (Exception exception)
        {
            // The fetcher turns every expected failure into a reason; anything else still must
            // not fault the shared task, whose waiters would all see it thrown.
            failure = $"unexpected {exception.GetType().Name}";
        }

        lock (_gate)
        {
            _lastFailure = failure;
        }

        return failure;
    }

    private async Task<string?> FetchAsync()
    {
        var fetchedAt = _options.TimeProvider.GetUtcNow();
        var (discovery, failure) = await _fetcher.GetAsync(_discoveryUri, _stopping);
        if (discovery is null)
        {
            return failure;
        }

        Uri? jwksUri;
        using (discovery)
        {
            if (!TryReadDiscovery(discovery.RootElement, out jwksUri, out failure))
            {
                return failure;
            }
        }

        var (jwks, jwksFailure) = await _fetcher.GetAsync(jwksUri!, _stopping);
        if (jwks is null)
        {
            return jwksFailure;
        }

        using (jwks)
        {
            if (!JwksParser.TryParse(jwks.RootElement, out var keys, out failure))
            {
                return $"{jwksUri}: {failure}";
            }

            _snapshot = new KeySnapshot(keys, fetchedAt);
            return null;
        }
    }

    private bool TryReadDiscovery(JsonElement root, out Uri? jwksUri, out string? failure)
    {
        jwksUri = null;

        // OpenID Connect Discovery §4.3: the document's issuer must be the one it was fetched for,
        // so that one issuer cannot pass off another's keys as its own.
        if (root.ValueKind != JsonValueKind.Object
            || JsonStrings.Member(root, "issuer") is not { } issuer
            || !TrailingSlash.Equivalent(issuer, Issuer))
        {
            failure = $"{_discoveryUri} does not name {Issuer} as its issuer";
            return false;
        }

        if (JsonStrings.Member(root, "jwks_uri") is not { } jwks
            || !Uri.TryCreate(jwks, UriKind.Absolute, out jwksUri)
            || jwksUri.Scheme != Uri.UriSchemeHttps)
        {
            failure = $"{_discoveryUri} has no https 'jwks_uri'";
            return false;
        }

        failure = null;
        return true;
    }

    private sealed record KeySnapshot(Dictionary<string, SigningKey> Keys, DateTimeOffset FetchedAt);
}
