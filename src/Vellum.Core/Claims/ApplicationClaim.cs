namespace Vellum.Core.Claims;

/// <summary>
/// An application claim attached to a ledger entry and returned with its receipt (ACL's
/// <c>ApplicationClaim</c>). Each claim reduces to a 32-byte claim digest; the claims digest in a
/// receipt's leaf combines them (see <see cref="ClaimsDigest"/>).
/// </summary>
public abstract class ApplicationClaim
{
    // Only the two kinds ACL defines exist, so that the JSON writer and parser cover every claim.
    private protected ApplicationClaim()
    {
    }

    /// <summary>The claim's <c>kind</c> on the wire: <c>LedgerEntry</c> or <c>ClaimDigest</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The claim's protocol, such as <c>LedgerEntryV1</c>.</summary>
    public abstract string Protocol { get; }

    /// <summary>The claim digest, <c>SHA-256(utf8(protocol) ‖ d)</c>, where <c>d</c> depends on the kind.</summary>
    public abstract Sha256Hash ComputeClaimDigest();
}
