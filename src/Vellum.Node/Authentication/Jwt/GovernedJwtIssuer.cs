namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// An issuer the consortium trusts (<c>set_jwt_issuer</c>): its signing keys are those the accepted
/// proposal carried, kept in the ledger, never fetched, so that every node trusts exactly the same
/// keys from the moment the proposal applies. Immutable, so readers share it without a lock.
/// </summary>
internal sealed class GovernedJwtIssuer
{
    /// <summary>Creates the issuer with its <paramref name="keys"/> (by key id) and, when set, the one audience its tokens must carry.</summary>
    public GovernedJwtIssuer(string issuer, IReadOnlyDictionary<string, SigningKey> keys, string? audience)
    {
        Issuer = issuer;
        Keys = keys;
        Audiences = audience is null ? null : [audience];
    }

    /// <summary>The issuer as the proposal named it.</summary>
    public string Issuer { get; }

    /// <summary>The issuer's signing keys by key id.</summary>
    public IReadOnlyDictionary<string, SigningKey> Keys { get; }

    /// <summary>The audiences its tokens are checked against; null for the node's configured ones (<see cref="JwtOptions.Audiences"/>).</summary>
    public IReadOnlyList<string>? Audiences { get; }

    /// <summary>The key named <paramref name="keyId"/>, or why there is none.</summary>
    public (SigningKey? Key, string? Failure) GetKey(string keyId) =>
        Keys.TryGetValue(keyId, out var key)
            ? (key, null)
            : (null, $"The token's key id is not among the signing keys the consortium set for issuer {Issuer}.");
}
