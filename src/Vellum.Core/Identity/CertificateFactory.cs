using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Core.Identity;

/// <summary>The parts of certificate issuance that service and node certificates share.</summary>
internal static class CertificateFactory
{
    private const int SerialNumberBytes = 16;

    /// <summary>A subject of one common name, built so that commas or equals signs in the name stay inside it.</summary>
    public static X500DistinguishedName CommonNameSubject(string commonName, string paramName)
    {
        if (string.IsNullOrWhiteSpace(commonName))
        {
            throw new ArgumentException("A certificate needs a non-blank common name.", paramName);
        }

        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    /// <summary>
    /// The validity window starting at <paramref name="notBefore"/>, both ends cut to whole seconds
    /// because X.509 times carry no fractions; cutting here keeps comparisons between a node's
    /// window and its issuer's exact.
    /// </summary>
    public static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Window(DateTimeOffset notBefore, TimeSpan validity, string paramName)
    {
        if (validity < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(paramName, validity, "A certificate's validity must be at least one second, the resolution of X.509 times.");
        }

        var start = WholeSeconds(notBefore);
        if (validity > DateTimeOffset.MaxValue - start)
        {
            throw new ArgumentOutOfRangeException(paramName, validity, $"A validity of {validity} from {start:O} ends after the last representable time.");
        }

        return (start, WholeSeconds(start + validity));
    }

    /// <summary>The certificate's validity window as UTC instants.</summary>
    public static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) WindowOf(X509Certificate2 certificate) =>
        (new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
         new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));

    /// <summary>Signs <paramref name="request"/> with the issuer's key; the result holds no private key.</summary>
    public static X509Certificate2 Sign(
        CertificateRequest request,
        X500DistinguishedName issuerName,
        ECDsa issuerKey,
        (DateTimeOffset NotBefore, DateTimeOffset NotAfter) window)
    {
        var generator = X509SignatureGenerator.CreateForECDsa(issuerKey);
        return request.Create(issuerName, generator, window.NotBefore, window.NotAfter, NewSerialNumber());
    }

    // RFC 5280 asks for positive serial numbers of at most 20 bytes that an issuer never repeats.
    // 126 random bits make a repeat negligible; clearing the top bit keeps the number positive,
    // and setting the next keeps the first byte non-zero so the DER integer is minimal.
    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(SerialNumberBytes);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset time)
    {
        var utcTicks = time.UtcTicks;
        return new DateTimeOffset(utcTicks - (utcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
