using System.Buffers.Binary;

namespace Vellum.Core.Claims;

/// <summary>
/// The claims digest of an entry, the third leaf component:
/// <c>SHA-256(uint32_le(n) ‖ claimDigest_1 ‖ … ‖ claimDigest_n)</c>, in the order the claims are given.
/// </summary>
/// <remarks>
/// An entry without claims has no claims digest, and its leaf uses 32 zero bytes instead, as CCF
/// does. <see cref="Compute"/> therefore defines the digest of an empty list as
/// <see cref="Sha256Hash.Zero"/>, not as <c>SHA-256(00 00 00 00)</c>; ACL never emits an empty
/// claims list, and its Python verifier refuses to compute one.
/// </remarks>
public static class ClaimsDigest
{
    /// <summary>The claims digest of <paramref name="claims"/>, or <see cref="Sha256Hash.Zero"/> for none.</summary>
    public static Sha256Hash Compute(IReadOnlyCollection<ApplicationClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Count == 0)
        {
            return Sha256Hash.Zero;
        }

        var buffer = new byte[sizeof(uint) + (claims.Count * Sha256Hash.Size)];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)claims.Count);
        var offset = sizeof(uint);
        foreach (var claim in claims)
        {
            ArgumentNullException.ThrowIfNull(claim, nameof(claims));
            claim.ComputeClaimDigest().CopyTo(buffer.AsSpan(offset));
            offset += Sha256Hash.Size;
        }

        Invariant.Check(offset == buffer.Length, "the collection enumerated as many claims as it counted");
        return Sha256Hash.Of(buffer);
    }

    /// <summary>The claims digest of a single claim whose claim digest is <paramref name="claimDigest"/>.</summary>
    public static Sha256Hash ComputeSingle(in Sha256Hash claimDigest)
    {
        Span<byte> buffer = stackalloc byte[sizeof(uint) + Sha256Hash.Size];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, 1);
        claimDigest.CopyTo(buffer[sizeof(uint)..]);
        return Sha256Hash.Of(buffer);
    }
}
