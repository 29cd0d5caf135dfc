using System.Text;

namespace Vellum.Core.Claims;

/// <summary>
/// ACL's <c>ClaimDigest</c> claim: a protocol name and the inner digest <c>d</c> of a claim whose
/// contents are withheld, such as <see cref="LedgerEntryClaim.ComputeEntryDigest"/>.
/// </summary>
public sealed class DigestClaim : ApplicationClaim
{
    /// <summary>The claim's <c>kind</c> on the wire.</summary>
    public const string KindName = "ClaimDigest";

    private const int MaxStackProtocolBytes = 256;

    /// <summary>Creates a claim from a protocol name and the inner digest.</summary>
    public DigestClaim(string protocol, Sha256Hash value)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        Protocol = protocol;
        Value = value;
    }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>The protocol of the withheld claim. ACL's verifier accepts any name here.</summary>
    public override string Protocol { get; }

    /// <summary>The inner digest <c>d</c>, hex on the wire.</summary>
    public Sha256Hash Value { get; }

    /// <inheritdoc />
    public override Sha256Hash ComputeClaimDigest() => ComputeClaimDigest(Protocol, Value);

    /// <summary><c>SHA-256(utf8(protocol) ‖ d)</c>, shared by both claim kinds.</summary>
    internal static Sha256Hash ComputeClaimDigest(string protocol, in Sha256Hash value)
    {
        // The writer's protocol is short and fixed: its bytes go on the stack, a parsed claim's longer one to the heap.
        var length = Encoding.UTF8.GetByteCount(protocol);
        Span<byte> protocolBytes = length <= MaxStackProtocolBytes ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(protocol, protocolBytes);
        Span<byte> digest = stackalloc byte[Sha256Hash.Size];
        Sha256.Hash(protocolBytes, value.Bytes, default, digest);
        return new Sha256Hash(digest);
    }
}
