using Vellum.Core;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// Validates bearer tokens (JWTs signed with RS256 or ES256) from the trusted issuers and returns
/// the caller's user id, the token's <c>oid</c>. Checks, in order: the compact JWS form, the
/// <c>alg</c>, a trusted <c>iss</c>, the signature with a key from that same issuer's key set,
/// then <c>aud</c>, <c>exp</c>, <c>nbf</c> and <c>oid</c>. The trusted issuers are those the
/// consortium set (<c>set_jwt_issuer</c>, with their keys) and the configured OpenID issuers
/// (<see cref="JwtOptions.Issuers"/>, keys fetched); where both name an issuer, the consortium's
/// entry is used. Thread-safe; create one per node.
/// </summary>
public sealed class JwtValidator : IDisposable
{
    /// <summary>The longest token accepted, in characters; Entra ID tokens are 1–3 KiB.</summary>
    public const int MaxTokenLength = 16 * 1024;

    private readonly JwtOptions _options;
    private readonly HttpsJsonFetcher _fetcher;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, OpenIdKeySource> _sources = new(StringComparer.Ordinal);
    private readonly Func<IReadOnlyDictionary<string, GovernedJwtIssuer>> _governedIssuers;
    private bool _disposed;

    /// <summary>Creates a validator for <paramref name="options"/>; nothing is fetched until the first token arrives.</summary>
    /// <exception cref="ArgumentException">An issuer is not an https URL, or another option is out of range.</exception>
    public JwtValidator(JwtOptions options)
        : this(options, static () => EmptyGovernedIssuers)
    {
    }

    /// <summary>
    /// Creates a validator that also trusts the issuers <paramref name="governedIssuers"/> returns,
    /// keyed by issuer without its trailing slash. It is asked on every token, so an issuer the
    /// consortium sets or removes counts from the next token on; it must be cheap and thread-safe.
    /// </summary>
    internal JwtValidator(JwtOptions options, Func<IReadOnlyDictionary<string, GovernedJwtIssuer>> governedIssuers)
    {
        CheckOptions(options);
        ArgumentNullException.ThrowIfNull(governedIssuers);
        _options = options;
        _governedIssuers = governedIssuers;
        _fetcher = new HttpsJsonFetcher(IssuerTlsTrust.CreateHandler(options.IssuerTrustAnchors), options.TimeProvider, options.FetchTimeout);
        foreach (var issuer in options.Issuers)
        {
            _sources.TryAdd(TrailingSlash.Trim(issuer), new OpenIdKeySource(issuer, _fetcher, options, _stopping.Token));
        }
    }

    /// <summary>
    /// Validates <paramref name="token"/> (the part after <c>Bearer </c>). Invalid tokens and
    /// unreachable issuers give a failed result, never an exception; only cancellation through
    /// <paramref name="cancellationToken"/> throws.
    /// </summary>
    public async Task<JwtValidationResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (string.IsNullOrEmpty(token))
        {
            return JwtValidationResult.Failure("The bearer token is empty.");
        }

        if (token.Length > MaxTokenLength)
        {
            return JwtValidationResult.Failure($"The bearer token is longer than {MaxTokenLength} characters.");
        }

        if (!CompactJws.TryParse(token, out var jws, out var failure) || !JwtClaims.TryParse(jws.Payload, out var claims, out failure))
        {
            return JwtValidationResult.Failure(failure);
        }

        var (key, keyFailure, audiences) = await FindKeyAsync(claims.Issuer, jws.KeyId, cancellationToken);
        if (key is null)
        {
            return JwtValidationResult.Failure(keyFailure!);
        }

        if (key.Algorithm != jws.Algorithm)
        {
            return JwtValidationResult.Failure("The token's algorithm does not match the type of the key it names.");
        }

        if (!key.Verify(jws.Algorithm, jws.SigningInput, jws.Signature))
        {
            return JwtValidationResult.Failure("The token's signature is not valid.");
        }

        var claimFailure = claims.Check(audiences, _options.TimeProvider.GetUtcNow(), _options.ClockSkew);
        if (claimFailure is not null)
        {
            return JwtValidationResult.Failure(claimFailure);
        }

        Invariant.Check(claims.ObjectId is { Length: > 0 }, "a token that passed the claim checks has an oid");
        return JwtValidationResult.Success(claims.ObjectId, claims.Issuer);
    }

    /// <summary>Stops any key fetch in progress and releases the HTTP client.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _fetcher.Dispose();
        _stopping.Dispose();
    }

    /// <summary>No issuer set by the consortium: what a validator without governance sees.</summary>
    internal static IReadOnlyDictionary<string, GovernedJwtIssuer> EmptyGovernedIssuers { get; } = new Dictionary<string, GovernedJwtIssuer>(StringComparer.Ordinal);

    // The issuer is read before the signature is checked only to choose whose keys to use; a key
    // from that issuer's own set must then verify the token, which authenticates it. The
    // consortium's entry comes first: it is the same on every node, while the options are each
    // node's own, and it is what the members decided most recently about that issuer.
    private async Task<(SigningKey? Key, string? Failure, IReadOnlyList<string> Audiences)> FindKeyAsync(string issuer, string keyId, CancellationToken cancellationToken)
    {
        var trimmed = TrailingSlash.Trim(issuer);
        var governed = _governedIssuers();
        if (governed.TryGetValue(trimmed, out var governedIssuer))
        {
            var (key, failure) = governedIssuer.GetKey(keyId);
            return (key, failure, governedIssuer.Audiences ?? _options.Audiences);
        }

        if (_sources.TryGetValue(trimmed, out var source))
        {
            var (key, failure) = await source.GetKeyAsync(keyId, cancellationToken);
            return (key, failure, _options.Audiences);
        }

        return (null, _sources.Count == 0 && governed.Count == 0
            ? "This ledger trusts no token issuer: none is configured (--jwt-issuer) or set by the consortium (set_jwt_issuer)."
            : "The token's issuer ('iss') is not trusted by this ledger.", _options.Audiences);
    }

    private static void CheckOptions(JwtOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Issuers);
        ArgumentNullException.ThrowIfNull(options.Audiences);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        foreach (var issuer in options.Issuers)
        {
            if (!IssuerUrl.IsValid(issuer))
            {
                throw new ArgumentException($"JWT issuer '{issuer}' must be {IssuerUrl.Rule}.", nameof(options));
            }
        }

        if (options.Audiences.Count == 0 || options.Audiences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("At least one audience is needed, and none may be empty.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClockSkew, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinKeyRefreshInterval, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.KeyCacheLifetime, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FetchTimeout, TimeSpan.Zero, nameof(options));
    }
}
