using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Client;

/// <summary>
/// A ledger's identity: its service certificate (ACL's <c>ledgerTlsCertificate</c>), which every
/// node's TLS chain ends at and which endorses the certificates that sign receipts. A client pins
/// it; an auditor verifies receipts with it.
/// </summary>
/// <remarks>
/// Obtain it out of band (from the operator, or saved from an earlier session) and build it with
/// <see cref="FromPem"/>, or fetch it with <see cref="LedgerIdentityClient"/>, where trusting what
/// the network returns on first use is the caller's explicit choice.
/// </remarks>
public sealed class LedgerIdentity
{
    private LedgerIdentity(string? ledgerId, string serviceCertificatePem, byte[] rawData)
    {
        LedgerId = ledgerId;
        ServiceCertificatePem = serviceCertificatePem;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(rawData));
    }

    /// <summary>The ledger's id when known, such as the one the identity endpoint returned.</summary>
    public string? LedgerId { get; }

    /// <summary>The service certificate, PEM.</summary>
    public string ServiceCertificatePem { get; }

    /// <summary>The SHA-256 of the service certificate's DER bytes, lowercase hex, to compare with one given out of band.</summary>
    public string Fingerprint { get; }

    /// <summary>An identity from the service certificate's PEM text.</summary>
    /// <param name="serviceCertificatePem">The PEM text; a trailing NUL, as in one of ACL's examples, is ignored.</param>
    /// <param name="ledgerId">The ledger's id, if known.</param>
    /// <exception cref="ArgumentException">The text is not one PEM X.509 certificate.</exception>
    public static LedgerIdentity FromPem(string serviceCertificatePem, string? ledgerId = null)
    {
        ArgumentNullException.ThrowIfNull(serviceCertificatePem);
        var pem = serviceCertificatePem.TrimEnd('\0');
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return new LedgerIdentity(ledgerId, pem, certificate.RawData);
        }
        catch (CryptographicException exception)
        {
            throw new ArgumentException($"The service certificate is not a PEM X.509 certificate: {exception.Message}", nameof(serviceCertificatePem), exception);
        }
    }

    /// <summary>A new certificate object for the service certificate; the caller disposes it.</summary>
    public X509Certificate2 CreateCertificate() => X509Certificate2.CreateFromPem(ServiceCertificatePem);

    /// <inheritdoc />
    public override string ToString() => LedgerId is null ? $"service certificate {Fingerprint}" : $"ledger {LedgerId}, service certificate {Fingerprint}";
}
