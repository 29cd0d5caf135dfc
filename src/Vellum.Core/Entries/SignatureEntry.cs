using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Identity;

namespace Vellum.Core.Entries;

/// <summary>
/// A decoded signature transaction: <see cref="Root"/> is the Merkle root over every leaf before
/// this entry (leaves <c>[0, seqno)</c>), signed by the node whose certificate is included.
/// </summary>
/// <param name="Header">The entry's header.</param>
/// <param name="Root">The signed Merkle root.</param>
/// <param name="Signature">DER-encoded ECDSA signature over <see cref="Root"/> used as the digest.</param>
/// <param name="NodeCertificateDer">The signing node's certificate, DER-encoded.</param>
public sealed record SignatureEntry(EntryHeader Header, Sha256Hash Root, byte[] Signature, byte[] NodeCertificateDer)
{
    /// <summary>The size of the Merkle tree the root covers: the signature's own seqno.</summary>
    public long TreeSize => Header.Id.Seqno;

    /// <summary>
    /// True when <see cref="Signature"/> verifies over <see cref="Root"/> (as the digest) under the
    /// EC key of <see cref="NodeCertificateDer"/>. Says nothing about who endorsed that certificate.
    /// </summary>
    public bool HasValidSignature()
    {
        try
        {
            return NodeIdentity.VerifyRootSignature(SigningKeyCache.KeyOf(NodeCertificateDer), Root, Signature);
        }
        catch (Exception error) when (error is CryptographicException or FormatException)
        {
            return false;
        }
    }
}
