using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Vellum.Core.Identity;

/// <summary>
/// The parts of an X.509 certificate that receipt verification needs, read straight from the DER
/// (RFC 5280 §4.1): the to-be-signed bytes, the signature algorithm and value, and the subject
/// public key. Reading the structure ourselves, rather than building an <c>X509Chain</c>, keeps
/// validity dates and revocation out of the decision, as in ACL's verifier: the real receipts we
/// test against were signed by certificates that expired long ago.
/// </summary>
internal sealed class CertificateFields
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string EcdsaWithSha256Oid = "1.2.840.10045.4.3.2";
    private const string EcdsaWithSha384Oid = "1.2.840.10045.4.3.3";
    private const string EcdsaWithSha512Oid = "1.2.840.10045.4.3.4";
    private const string PemLabel = "CERTIFICATE";

    private CertificateFields(byte[] tbsCertificate, string signatureAlgorithm, byte[] signatureValue, byte[] subjectPublicKeyInfo, string publicKeyAlgorithm)
    {
        TbsCertificate = tbsCertificate;
        SignatureAlgorithm = signatureAlgorithm;
        SignatureValue = signatureValue;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        PublicKeyAlgorithm = publicKeyAlgorithm;
    }

    /// <summary>The DER of <c>tbsCertificate</c>, the bytes the issuer signed.</summary>
    public byte[] TbsCertificate { get; }

    /// <summary>The OID of the outer <c>signatureAlgorithm</c>.</summary>
    public string SignatureAlgorithm { get; }

    /// <summary>The issuer's signature: for ECDSA, a DER <c>ECDSA-Sig-Value</c>.</summary>
    public byte[] SignatureValue { get; }

    /// <summary>The DER of <c>subjectPublicKeyInfo</c>.</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>
    /// The node id of a node certificate: SHA-256 of its DER SubjectPublicKeyInfo, as CCF computes
    /// it and ACL's verifier checks it. The one place Vellum defines the rule.
    /// </summary>
    public Sha256Hash NodeId => Sha256Hash.Of(SubjectPublicKeyInfo);

    /// <summary>The OID of the subject public key's algorithm.</summary>
    public string PublicKeyAlgorithm { get; }

    /// <summary>Reads the first <c>CERTIFICATE</c> block of <paramref name="pem"/>.</summary>
    public static bool TryParsePem(string pem, [NotNullWhen(true)] out CertificateFields? certificate, [NotNullWhen(false)] out string? error)
    {
        certificate = null;
        var remaining = pem.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            if (remaining[fields.Label].SequenceEqual(PemLabel))
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(remaining[fields.Base64Data], der, out var written) || written != der.Length)
                {
                    error = "its base64 body does not decode";
                    return false;
                }

                return TryParseDer(der, out certificate, out error);
            }

            remaining = remaining[fields.Location.End..];
        }

        error = "it contains no well-formed PEM block labelled CERTIFICATE";
        return false;
    }

    /// <summary>Reads a DER certificate, refusing trailing bytes and anything that is not DER.</summary>
    public static bool TryParseDer(byte[] der, [NotNullWhen(true)] out CertificateFields? certificate, [NotNullWhen(false)] out string? error)
    {
        certificate = null;
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var body = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var tbs = body.ReadEncodedValue().ToArray();
            var algorithm = body.ReadSequence();
            var signatureAlgorithm = algorithm.ReadObjectIdentifier();
            var signature = body.ReadBitString(out var unusedBits);
            body.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                error = "its signature is not a whole number of bytes";
                return false;
            }

            var (spki, keyAlgorithm) = ReadSubjectPublicKeyInfo(tbs);
            certificate = new CertificateFields(tbs, signatureAlgorithm, signature, spki, keyAlgorithm);
            error = null;
            return true;
        }
        catch (AsnContentException exception)
        {
            error = $"it is not a DER X.509 certificate ({exception.Message})";
            return false;
        }
    }

    /// <summary>The subject's EC public key, or null with a reason when the key is not EC.</summary>
    public ECDsa? CreateEcdsaPublicKey([NotNullWhen(false)] out string? error)
    {
        if (PublicKeyAlgorithm != EcPublicKeyOid)
        {
            error = $"its public key is not an EC key (algorithm {PublicKeyAlgorithm})";
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
            error = null;
            return key;
        }
        catch (Exception exception) when (exception is CryptographicException or PlatformNotSupportedException)
        {
            // OpenSSL reports an unknown curve as "not supported on this platform".
            key.Dispose();
            error = $"its EC public key cannot be loaded ({exception.Message})";
            return null;
        }
    }

    /// <summary>
    /// True when <paramref name="issuerKey"/> made this certificate's signature over its
    /// <c>tbsCertificate</c>, with the hash its signature algorithm names.
    /// </summary>
    public bool IsSignedBy(ECDsa issuerKey, [NotNullWhen(false)] out string? error)
    {
        HashAlgorithmName hash;
        switch (SignatureAlgorithm)
        {
            case EcdsaWithSha256Oid: hash = HashAlgorithmName.SHA256; break;
            case EcdsaWithSha384Oid: hash = HashAlgorithmName.SHA384; break;
            case EcdsaWithSha512Oid: hash = HashAlgorithmName.SHA512; break;
            default:
                error = $"its signature algorithm {SignatureAlgorithm} is not ecdsa-with-SHA256, -SHA384 or -SHA512";
                return false;
        }

        bool valid;
        try
        {
            valid = issuerKey.VerifyData(TbsCertificate, SignatureValue, hash, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception exception) when (exception is CryptographicException or PlatformNotSupportedException)
        {
            valid = false;
        }

        error = valid ? null : "its signature does not verify with the endorser's public key";
        return valid;
    }

    private static (byte[] Spki, string Algorithm) ReadSubjectPublicKeyInfo(byte[] tbsCertificate)
    {
        var tbs = new AsnReader(tbsCertificate, AsnEncodingRules.DER).ReadSequence();

        // The version is an optional [0] EXPLICIT field; v1 certificates leave it out.
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            tbs.ReadEncodedValue();
        }

        tbs.ReadEncodedValue(); // serialNumber
        tbs.ReadEncodedValue(); // signature
        tbs.ReadEncodedValue(); // issuer
        tbs.ReadEncodedValue(); // validity
        tbs.ReadEncodedValue(); // subject
        var spki = tbs.ReadEncodedValue().ToArray();
        var algorithm = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadObjectIdentifier();
        return (spki, algorithm);
    }
}
