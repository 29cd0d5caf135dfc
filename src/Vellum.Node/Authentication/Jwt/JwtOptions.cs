using System.Security.Cryptography.X509Certificates;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// What a <see cref="JwtValidator"/> trusts: the token issuers, the audiences, how much clock
/// skew it tolerates and how it talks to the issuers. The validator checks these settings when it
/// is created and throws <see cref="ArgumentException"/> for an unusable value.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>
    /// The resource of ACL's token scope (<c>https://confidential-ledger.azure.com/.default</c>),
    /// which is the audience of the tokens that ACL's client libraries send.
    /// </summary>
    public const string DefaultAudience = "https://confidential-ledger.azure.com";

    /// <summary>
    /// The trusted issuer URLs, each https with no query or fragment. A token's <c>iss</c> must
    /// equal one of them exactly, apart from one trailing slash, and the token must be signed by a
    /// key published in that issuer's own OpenID configuration (its <c>jwks_uri</c>).
    /// </summary>
    public IReadOnlyList<string> Issuers { get; init; } = [];

    /// <summary>
    /// The accepted audiences; a token's <c>aud</c> (a string or an array) must contain one of
    /// them, apart from one trailing slash. Defaults to <see cref="DefaultAudience"/>.
    /// </summary>
    public IReadOnlyList<string> Audiences { get; init; } = [DefaultAudience];

    /// <summary>
    /// How far the issuer's clock may be ahead of or behind ours when checking <c>exp</c> and
    /// <c>nbf</c>. Five minutes by default, the value Microsoft's token libraries use, so that a
    /// token ACL accepts is accepted here too; tokens live about an hour, so the margin is small.
    /// </summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The shortest time between two key fetches from one issuer. A token naming an unknown key id
    /// triggers a fetch only if the last one started at least this long ago, so a flood of forged
    /// tokens costs the issuer one request per interval. One minute by default: a rotated key is
    /// picked up within a minute, and the issuer sees at most one request a minute from us.
    /// </summary>
    public TimeSpan MinKeyRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long fetched keys are used before they are fetched again, so that a key the issuer
    /// withdrew stops being accepted. If the fetch fails the old keys stay in use, so that an
    /// issuer outage does not lock every user out. Twelve hours by default.
    /// </summary>
    public TimeSpan KeyCacheLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>How long one fetch (discovery document or key set) may take in all. Ten seconds by default.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When set, an issuer's HTTPS certificate chain must end at one of these certificates instead
    /// of the system's trusted roots (for private issuers and tests). The host name is checked
    /// either way.
    /// </summary>
    public X509Certificate2Collection? IssuerTrustAnchors { get; init; }

    /// <summary>The only clock the validator reads: for token lifetimes, key refresh limits and fetch timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
