using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Core.Identity;

/// <summary>
/// A node's identity: a P-256 key and the certificate a <see cref="ServiceIdentity"/> issued for
/// it. The key serves TLS and signs the Merkle roots that receipts prove entries against.
/// </summary>
public sealed class NodeIdentity : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly ECDsa _key;
    private bool _disposed;

    private NodeIdentity(X509Certificate2 certificate, ECDsa key)
    {
        Invariant.Check(EcKeys.CurveOid(key) == EcKeys.P256, "node keys are P-256");
        _certificate = certificate;
        _key = key;
        CertificatePem = Pem.WriteCertificate(certificate);
        NodeId = ComputeNodeId(certificate);
    }

    /// <summary>The node certificate, without its private key. Owned by this identity: do not dispose it.</summary>
    public X509Certificate2 Certificate
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _certificate;
        }
    }

    /// <summary>The node certificate as PEM, ending with a newline: the <c>cert</c> field of receipts.</summary>
    public string CertificatePem { get; }

    /// <summary>The node id: lowercase hex SHA-256 of the certificate's DER SubjectPublicKeyInfo (ACL-WIRE §6.2 step 7).</summary>
    public string NodeId { get; }

    /// <summary>Creates a P-256 node key and has <paramref name="issuer"/> certify it.</summary>
    /// <exception cref="ArgumentException">The options are invalid; see <see cref="ServiceIdentity.IssueNodeCertificate"/>.</exception>
    public static NodeIdentity Create(ServiceIdentity issuer, NodeCertificateOptions options)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            return new NodeIdentity(issuer.IssueNodeCertificate(key, options), key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Reconstructs a node identity from its certificate and PKCS#8 private key PEM.</summary>
    /// <exception cref="FormatException">Either text is not the expected PEM, a key is not EC P-256, or the certificate is a CA.</exception>
    /// <exception cref="ArgumentException">The private key does not belong to the certificate.</exception>
    public static NodeIdentity FromPem(string certificatePem, string privateKeyPem)
    {
        var certificate = Pem.ReadCertificate(certificatePem);
        ECDsa? key = null;
        try
        {
            RequireNodeCertificate(certificate);
            key = Pem.ReadEcPrivateKey(privateKeyPem);
            EcKeys.RequireMatch(certificate, key, nameof(privateKeyPem));
            return new NodeIdentity(certificate, key);
        }
        catch
        {
            key?.Dispose();
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>The node id of any certificate: lowercase hex SHA-256 of its DER SubjectPublicKeyInfo.</summary>
    public static string ComputeNodeId(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return CertificateFields.TryParseDer(certificate.RawData, out var fields, out var error)
            ? fields.NodeId.ToHex()
            : throw new FormatException($"The certificate cannot be read: {error}.");
    }

    /// <summary>
    /// Checks a root signature against any node certificate with an EC key, such as the <c>cert</c>
    /// of a receipt from ACL, as ACL-WIRE §6.2 step 8 does: the 32-byte root is the ECDSA digest.
    /// A malformed signature verifies as false.
    /// </summary>
    /// <exception cref="FormatException">The certificate's key is not an EC key.</exception>
    public static bool VerifyRootSignature(X509Certificate2 nodeCertificate, in Sha256Hash root, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(nodeCertificate);
        using var publicKey = EcKeys.PublicKeyOf(nodeCertificate);
        return VerifyRootSignature(publicKey, root, signature);
    }

    /// <summary>The one statement of the rule: ECDSA over the 32-byte root used as the digest, DER-encoded; a malformed signature is false.</summary>
    internal static bool VerifyRootSignature(ECDsa nodeKey, in Sha256Hash root, ReadOnlySpan<byte> signature)
    {
        try
        {
            return nodeKey.VerifyHash(root.Bytes, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The private key as an unencrypted PKCS#8 PEM block; a secret, so keep it out of logs.</summary>
    public string ExportPrivateKeyPem()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Pem.WritePrivateKey(_key);
    }

    /// <summary>
    /// Signs a Merkle root for receipts: ECDSA with the 32-byte root used as the digest itself (it is
    /// already a SHA-256 output, and ACL's verifiers treat it as prehashed), DER-encoded.
    /// </summary>
    public byte[] SignRoot(in Sha256Hash root)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _key.SignHash(root.Bytes, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Checks a signature made by <see cref="SignRoot"/>; a malformed signature verifies as false.</summary>
    public bool VerifyRootSignature(in Sha256Hash root, ReadOnlySpan<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return VerifyRootSignature(_key, root, signature);
    }

    /// <summary>
    /// A new copy of the certificate that carries the private key, as TLS servers and clients
    /// need. The caller owns and disposes it.
    /// </summary>
    public X509Certificate2 CreateCertificateWithPrivateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _certificate.CopyWithPrivateKey(_key);
    }

    /// <summary>Releases the private key and the certificate.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _key.Dispose();
            _certificate.Dispose();
        }
    }

    private static void RequireNodeCertificate(X509Certificate2 certificate)
    {
        using var publicKey = EcKeys.PublicKeyOf(certificate);
        var curve = EcKeys.CurveOid(publicKey);
        if (curve != EcKeys.P256)
        {
            throw new FormatException($"The certificate \"{certificate.Subject}\" has a key on {EcKeys.CurveName(curve)}; node keys are P-256.");
        }

        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(c => c.CertificateAuthority))
        {
            throw new FormatException($"The certificate \"{certificate.Subject}\" is a CA certificate, so it cannot be a node certificate.");
        }
    }
}
