using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Identity;

namespace Vellum.Core.Tests.Identity;

/// <summary>Fixed times, ready-made identities and an independent certificate signature check.</summary>
internal static class TestIdentities
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTime DuringValidity = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly TimeSpan ServiceValidity = TimeSpan.FromDays(3650);
    public static readonly TimeSpan NodeValidity = TimeSpan.FromDays(365);

    public static ServiceIdentity Service(ECCurve? curve = null, string? commonName = null) =>
        ServiceIdentity.Create(new ServiceCertificateOptions
        {
            NotBefore = Start,
            Validity = ServiceValidity,
            Curve = curve ?? ECCurve.NamedCurves.nistP256,
            CommonName = commonName ?? ServiceCertificateOptions.DefaultCommonName,
        });

    public static NodeCertificateOptions NodeOptions(string name = "node-1") => new()
    {
        Name = name,
        DnsNames = ["ledger.example", "node-1.ledger.example"],
        IpAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback],
        NotBefore = Start,
        Validity = NodeValidity,
    };

    public static NodeIdentity Node(ServiceIdentity service, string name = "node-1") =>
        NodeIdentity.Create(service, NodeOptions(name));

    public static T Extension<T>(X509Certificate2 certificate)
        where T : X509Extension =>
        Assert.Single(certificate.Extensions.OfType<T>());

    /// <summary>
    /// Verifies a certificate's signature the way ACL's Python verifier does, without X509Chain:
    /// hash the DER TBSCertificate with the signature algorithm's hash, then check the ECDSA
    /// signature over that digest with the issuer's public key.
    /// </summary>
    public static bool TbsSignatureVerifies(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var outer = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadEncodedValue().ToArray();
        var algorithm = outer.ReadSequence().ReadObjectIdentifier();
        var signature = outer.ReadBitString(out _);
        var digest = algorithm switch
        {
            "1.2.840.10045.4.3.2" => SHA256.HashData(tbs),
            "1.2.840.10045.4.3.3" => SHA384.HashData(tbs),
            "1.2.840.10045.4.3.4" => SHA512.HashData(tbs),
            _ => throw new InvalidOperationException($"Unexpected signature algorithm {algorithm}."),
        };
        using var key = issuer.GetECDsaPublicKey()!;
        return key.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Builds a chain that trusts only <paramref name="root"/>, as .NET clients pinning the ledger identity do.</summary>
    public static (bool Built, string Status, X509Certificate2[] Elements) BuildChain(X509Certificate2 leaf, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DuringValidity;
        var built = chain.Build(leaf);
        var status = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation}"));
        return (built, status, chain.ChainElements.Select(e => e.Certificate).ToArray());
    }
}
