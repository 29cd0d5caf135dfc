using System.Text.Json;
using Vellum.Node.Authentication.Jwt;

namespace Vellum.Node.Governance.Voting;

/// <summary>
/// <c>set_jwt_issuer</c> and <c>remove_jwt_issuer</c>: their arguments, checked when proposed, and
/// the consortium's trusted issuers after an accepted proposal. Arguments follow CCF's
/// <c>set_jwt_issuer</c> (<c>issuer</c>, <c>jwks</c>, <c>auto_refresh</c>) plus an optional
/// <c>audience</c>. Nodes fetch nothing for these issuers: their keys are the ones proposed.
/// </summary>
internal static class JwtIssuerActions
{
    /// <summary>Checks the form of a <c>set_jwt_issuer</c> or <c>remove_jwt_issuer</c> action.</summary>
    /// <exception cref="GovernanceException">An argument is missing, unknown or malformed.</exception>
    public static void Check(GovernanceAction action)
    {
        if (action.Name == GovernanceActions.SetJwtIssuer)
        {
            _ = Read(action);
            return;
        }

        _ = Issuer(action);
    }

    /// <summary>
    /// The trusted issuers once <paramref name="actions"/> apply in order to <paramref name="current"/>
    /// (keyed by issuer without its trailing slash); <paramref name="current"/> itself when none of
    /// them concerns an issuer. The result is a new dictionary never changed afterwards.
    /// </summary>
    /// <exception cref="GovernanceException">An action removes an issuer the consortium does not trust.</exception>
    public static IReadOnlyDictionary<string, GovernedJwtIssuer> After(IReadOnlyDictionary<string, GovernedJwtIssuer> current, IEnumerable<GovernanceAction> actions)
    {
        Dictionary<string, GovernedJwtIssuer>? changed = null;
        foreach (var action in actions)
        {
            if (action.Name == GovernanceActions.SetJwtIssuer)
            {
                var issuer = Read(action);
                (changed ??= new(current, StringComparer.Ordinal))[TrailingSlash.Trim(issuer.Issuer)] = issuer;
            }
            else if (action.Name == GovernanceActions.RemoveJwtIssuer)
            {
                var issuer = Issuer(action);
                if (!(changed ??= new(current, StringComparer.Ordinal)).Remove(TrailingSlash.Trim(issuer)))
                {
                    throw GovernanceException.Invalid($"{issuer} is not a token issuer set by the consortium.");
                }
            }
        }

        return changed ?? current;
    }

    private static GovernedJwtIssuer Read(GovernanceAction action)
    {
        var issuer = Issuer(action);
        if (action.Args.TryGetProperty("auto_refresh", out var autoRefresh) && autoRefresh.ValueKind is not (JsonValueKind.False or JsonValueKind.Null))
        {
            throw GovernanceException.Invalid(autoRefresh.ValueKind == JsonValueKind.True
                ? "set_jwt_issuer cannot take \"auto_refresh\": true: nodes fetch no keys for issuers the consortium sets; propose set_jwt_issuer again with the new \"jwks\" when the issuer rotates its keys."
                : "The \"auto_refresh\" of set_jwt_issuer must be the JSON boolean false when given.");
        }

        var audience = action.OptionalString("audience");
        if (audience is { Length: 0 })
        {
            throw GovernanceException.Invalid("The \"audience\" of set_jwt_issuer must not be empty when given.");
        }

        return new GovernedJwtIssuer(issuer, Keys(action), audience);
    }

    private static Dictionary<string, SigningKey> Keys(GovernanceAction action)
    {
        if (!action.Args.TryGetProperty("jwks", out var jwks) || jwks.ValueKind != JsonValueKind.Object)
        {
            throw GovernanceException.Invalid("set_jwt_issuer needs \"jwks\", the issuer's public signing keys as a JSON Web Key Set object {\"keys\":[...]}.");
        }

        if (!JwksParser.TryParse(jwks, out var keys, out var failure))
        {
            throw GovernanceException.Invalid($"The \"jwks\" of set_jwt_issuer is not usable: {failure}.");
        }

        // The parser skips keys it cannot use, which suits a fetched set; a proposed set is
        // refused instead, so that members never vote for a key that would silently not count.
        var given = jwks.GetProperty("keys").GetArrayLength();
        if (given == 0 || keys.Count != given)
        {
            throw GovernanceException.Invalid(
                $"The \"jwks\" of set_jwt_issuer has {given} key(s), of which {keys.Count} usable: it needs at least one, and each must have its own \"kid\" and be " +
                "an RSA key of 2048 to 8192 bits (RS256) or a P-256 key (ES256), for signatures.");
        }

        return keys;
    }

    private static string Issuer(GovernanceAction action)
    {
        var issuer = action.String("issuer");
        return IssuerUrl.IsValid(issuer)
            ? issuer
            : throw GovernanceException.Invalid($"The \"issuer\" of {action.Name}, \"{issuer}\", must be {IssuerUrl.Rule}.");
    }
}
