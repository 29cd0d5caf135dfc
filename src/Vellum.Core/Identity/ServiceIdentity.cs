using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Core.Identity;

/// <summary>
/// The service identity: a self-signed EC CA certificate and its private key. Its certificate is
/// what ACL's identity endpoint returns as <c>ledgerTlsCertificate</c>; it issues the node
/// certificates that serve TLS and sign receipts (ACL-WIRE §4, §6.2 step 4).
/// </summary>
public sealed class ServiceIdentity : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly ECDsa _key;
    private readonly X509SubjectKeyIdentifierExtension _subjectKeyIdentifier;
    private bool _disposed;

    private ServiceIdentity(X509Certificate2 certificate, ECDsa key)
    {
        _certificate = certificate;
        _key = key;
        _subjectKeyIdentifier = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().SingleOrDefault()
            ?? new X509SubjectKeyIdentifierExtension(certificate.PublicKey, critical: false);
        CertificatePem = Pem.WriteCertificate(certificate);
    }

    /// <summary>The service certificate, without its private key. Owned by this identity: do not dispose it.</summary>
    public X509Certificate2 Certificate
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _certificate;
        }
    }

    /// <summary>The service certificate as PEM, ending with a newline.</summary>
    public string CertificatePem { get; }

    /// <summary>
    /// Creates a key on the chosen curve and a self-signed CA certificate for it, with a critical
    /// basicConstraints CA:TRUE, a critical keyUsage (keyCertSign, cRLSign, digitalSignature) and
    /// subject and authority key identifiers, as strict verifiers such as Python 3.13's require.
    /// </summary>
    /// <exception cref="ArgumentException">The name is blank, the curve is not P-256, P-384 or P-521, or the validity is under a second.</exception>
    public static ServiceIdentity Create(ServiceCertificateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var subject = CertificateFactory.CommonNameSubject(options.CommonName, nameof(options));
        var window = CertificateFactory.Window(options.NotBefore, options.Validity, nameof(options));
        var key = ECDsa.Create(options.Curve);
        try
        {
            RequireServiceCurve(EcKeys.CurveOid(key), nameof(options));
            var request = new CertificateRequest(subject, key, EcKeys.SignatureHash(key));
            var subjectKeyIdentifier = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
            request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority());
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature,
                critical: true));
            request.CertificateExtensions.Add(subjectKeyIdentifier);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKeyIdentifier));
            var certificate = CertificateFactory.Sign(request, subject, key, window);
            return new ServiceIdentity(certificate, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Reconstructs a service identity from its certificate and PKCS#8 private key PEM.</summary>
    /// <exception cref="FormatException">Either text is not the expected PEM, the key is not EC, or the certificate is not a CA.</exception>
    /// <exception cref="ArgumentException">The private key does not belong to the certificate.</exception>
    public static ServiceIdentity FromPem(string certificatePem, string privateKeyPem)
    {
        var certificate = Pem.ReadCertificate(certificatePem);
        ECDsa? key = null;
        try
        {
            RequireCertificateAuthority(certificate);
            using (var publicKey = EcKeys.PublicKeyOf(certificate))
            {
                RequireServiceCurve(EcKeys.CurveOid(publicKey), nameof(certificatePem));
            }

            key = Pem.ReadEcPrivateKey(privateKeyPem);
            EcKeys.RequireMatch(certificate, key, nameof(privateKeyPem));
            return new ServiceIdentity(certificate, key);
        }
        catch
        {
            key?.Dispose();
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>The private key as an unencrypted PKCS#8 PEM block; a secret, so keep it out of logs.</summary>
    public string ExportPrivateKeyPem()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Pem.WritePrivateKey(_key);
    }

    /// <summary>
    /// A 32-byte secret derived from the private key: <c>HKDF-SHA256(ikm = the private scalar,
    /// big-endian, salt = none, info = <paramref name="label"/>)</c>. Only holders of the service
    /// key (the service's nodes) can derive it; it is never written anywhere, and a new service
    /// identity (a disaster recovery) derives another.
    /// </summary>
    public byte[] DeriveSecret(string label)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var scalar = _key.ExportParameters(includePrivateParameters: true).D!;
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, scalar, 32, [], System.Text.Encoding.ASCII.GetBytes(label));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    /// <summary>
    /// Issues a node certificate for <paramref name="nodePublicKey"/>, of which only the public part
    /// is used, so a remote node's key can be certified without its private key. The certificate
    /// has subject <c>CN=&lt;name&gt;</c>, the DNS names and IP addresses as subject alternative
    /// names, a critical basicConstraints CA:FALSE, a critical keyUsage digitalSignature, EKU
    /// serverAuth and clientAuth (for node-to-node mutual TLS), and key identifiers whose authority
    /// one equals this certificate's subject key identifier. The caller owns the result.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not P-256, a name is blank, or the validity is under a second or outside this certificate's.</exception>
    public X509Certificate2 IssueNodeCertificate(ECDsa nodePublicKey, NodeCertificateOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(nodePublicKey);
        ArgumentNullException.ThrowIfNull(options);
        var curve = EcKeys.CurveOid(nodePublicKey);
        if (curve != EcKeys.P256)
        {
            throw new ArgumentException($"A node key must be on P-256, not {EcKeys.CurveName(curve)}.", nameof(nodePublicKey));
        }

        var subject = CertificateFactory.CommonNameSubject(options.Name, nameof(options));
        var window = CertificateFactory.Window(options.NotBefore, options.Validity, nameof(options));
        RequireWithinOwnValidity(window, nameof(options));
        var request = new CertificateRequest(subject, nodePublicKey, EcKeys.SignatureHash(_key));
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "serverAuth"), new Oid("1.3.6.1.5.5.7.3.2", "clientAuth")],
            critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(_subjectKeyIdentifier));
        if (AlternativeNames(options) is { } alternativeNames)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        return CertificateFactory.Sign(request, _certificate.SubjectName, _key, window);
    }

    /// <summary>
    /// Endorses an earlier identity of the same ledger, lost in a disaster: a CA certificate with
    /// the previous certificate's subject and public key, issued and signed by this identity. A
    /// receipt signed before the recovery lists it in <c>serviceEndorsements</c>, so the node
    /// certificate the previous service issued chains to this one. It is valid for the previous
    /// certificate's window, clipped to this one's. The caller owns nothing: the result is PEM.
    /// </summary>
    /// <exception cref="ArgumentException">The previous certificate's key is not ECDSA, or its validity and this one's do not overlap.</exception>
    public string EndorsePrevious(X509Certificate2 previous)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(previous);
        using var previousKey = previous.GetECDsaPublicKey() ?? throw new ArgumentException("The previous service certificate's key is not an ECDSA key.", nameof(previous));
        var (previousStart, previousEnd) = CertificateFactory.WindowOf(previous);
        var (ownStart, ownEnd) = CertificateFactory.WindowOf(_certificate);
        var notBefore = previousStart > ownStart ? previousStart : ownStart;
        var notAfter = previousEnd < ownEnd ? previousEnd : ownEnd;
        if (notAfter <= notBefore)
        {
            throw new ArgumentException("The previous service certificate's validity does not overlap this one's.", nameof(previous));
        }

        var request = new CertificateRequest(previous.SubjectName, previousKey, EcKeys.SignatureHash(_key));
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(_subjectKeyIdentifier));
        using var endorsement = CertificateFactory.Sign(request, _certificate.SubjectName, _key, (notBefore, notAfter));
        return Pem.WriteCertificate(endorsement);
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

    // An empty subjectAltName extension is invalid DER for strict parsers, so a node with no
    // names gets none at all.
    private static X509Extension? AlternativeNames(NodeCertificateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.DnsNames, nameof(options));
        ArgumentNullException.ThrowIfNull(options.IpAddresses, nameof(options));
        if (options.DnsNames.Count == 0 && options.IpAddresses.Count == 0)
        {
            return null;
        }

        var builder = new SubjectAlternativeNameBuilder();
        foreach (var name in options.DnsNames)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A node's DNS names must not be blank.", nameof(options));
            }

            builder.AddDnsName(name);
        }

        foreach (var address in options.IpAddresses)
        {
            builder.AddIpAddress(address ?? throw new ArgumentException("A node's IP addresses must not be null.", nameof(options)));
        }

        return builder.Build();
    }

    private static void RequireServiceCurve(string? curve, string paramName)
    {
        if (curve is not (EcKeys.P256 or EcKeys.P384 or EcKeys.P521))
        {
            throw new ArgumentException($"A service key must be on P-256, P-384 or P-521, not {EcKeys.CurveName(curve)}.", paramName);
        }
    }

    private static void RequireCertificateAuthority(X509Certificate2 certificate)
    {
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
        if (constraints is not { CertificateAuthority: true })
        {
            throw new FormatException($"The certificate \"{certificate.Subject}\" is not a CA certificate (basicConstraints CA:TRUE), so it cannot be a service identity.");
        }

        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().SingleOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            throw new FormatException($"The certificate \"{certificate.Subject}\" has a keyUsage without keyCertSign, so it cannot issue node certificates.");
        }
    }

    // A node certificate that outlives its issuer fails chain validation from then on, so ask the
    // caller for a shorter one rather than issue a certificate that silently stops working.
    private void RequireWithinOwnValidity((DateTimeOffset NotBefore, DateTimeOffset NotAfter) window, string paramName)
    {
        var (ownStart, ownEnd) = CertificateFactory.WindowOf(_certificate);
        if (window.NotBefore < ownStart || window.NotAfter > ownEnd)
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                $"A node certificate valid from {window.NotBefore:O} to {window.NotAfter:O} would not lie within the service certificate's validity, {ownStart:O} to {ownEnd:O}.");
        }
    }
}
