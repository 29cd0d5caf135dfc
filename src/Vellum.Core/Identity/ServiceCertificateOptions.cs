using System.Security.Cryptography;

namespace Vellum.Core.Identity;

/// <summary>What to put in a new service certificate.</summary>
public sealed class ServiceCertificateOptions
{
    /// <summary>The common name used when none is given.</summary>
    public const string DefaultCommonName = "Vellum Service";

    /// <summary>The subject's common name; the subject is <c>CN=&lt;CommonName&gt;</c>.</summary>
    public string CommonName { get; init; } = DefaultCommonName;

    /// <summary>The start of validity; cut to whole seconds, as X.509 times have no fractions.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>How long the certificate is valid from <see cref="NotBefore"/>; at least one second.</summary>
    public required TimeSpan Validity { get; init; }

    /// <summary>
    /// The service key's curve: NIST P-256 (the default), P-384 or P-521. P-256 is the default
    /// because P-384 signs about 35 times slower on the machines Vellum targets.
    /// </summary>
    public ECCurve Curve { get; init; } = ECCurve.NamedCurves.nistP256;
}
