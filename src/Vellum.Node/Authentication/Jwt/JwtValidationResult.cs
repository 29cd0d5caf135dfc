using System.Diagnostics.CodeAnalysis;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>The outcome of validating a bearer token: the caller's identity, or why it was refused.</summary>
public sealed class JwtValidationResult
{
    private JwtValidationResult(string? userId, string? issuer, string? failureReason)
    {
        UserId = userId;
        Issuer = issuer;
        FailureReason = failureReason;
    }

    /// <summary>Whether the token was accepted; then <see cref="UserId"/> and <see cref="Issuer"/> are set.</summary>
    [MemberNotNullWhen(true, nameof(UserId), nameof(Issuer))]
    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool IsValid => FailureReason is null;

    /// <summary>The caller's user id: the token's <c>oid</c> (object id) claim, exactly as the token carries it.</summary>
    public string? UserId { get; }

    /// <summary>The token's <c>iss</c> claim, one of the configured issuers.</summary>
    public string? Issuer { get; }

    /// <summary>
    /// Why the token was refused, in a sentence that may be shown to the caller in a 401 response:
    /// it names the failed check and never contains key material or the token itself.
    /// </summary>
    public string? FailureReason { get; }

    internal static JwtValidationResult Success(string userId, string issuer) => new(userId, issuer, null);

    internal static JwtValidationResult Failure(string reason) => new(null, null, reason);
}
