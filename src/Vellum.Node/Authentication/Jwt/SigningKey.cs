using System.Security.Cryptography;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// One public key from an issuer's JWKS. Only the parameters are kept: each verification imports
/// them into a fresh key object, because .NET does not promise that one RSA or ECDsa instance may
/// be used from several threads at once, and a replaced key set then needs no disposal.
/// </summary>
internal sealed class SigningKey
{
    private readonly RSAParameters? _rsa;
    private readonly ECParameters? _ec;

    private SigningKey(string keyId, JwsAlgorithm algorithm, RSAParameters? rsa, ECParameters? ec)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _rsa = rsa;
        _ec = ec;
    }

    /// <summary>The key id (<c>kid</c>) the issuer gave the key.</summary>
    public string KeyId { get; }

    /// <summary>The only algorithm this key verifies: RS256 for an RSA key, ES256 for a P-256 key.</summary>
    public JwsAlgorithm Algorithm { get; }

    /// <summary>An RSA key for RS256.</summary>
    public static SigningKey ForRsa(string keyId, RSAParameters parameters) => new(keyId, JwsAlgorithm.RS256, parameters, null);

    /// <summary>A P-256 key for ES256.</summary>
    public static SigningKey ForEc(string keyId, ECParameters parameters) => new(keyId, JwsAlgorithm.ES256, null, parameters);

    /// <summary>
    /// Whether <paramref name="signature"/> is this key's signature of <paramref name="data"/>
    /// under <paramref name="algorithm"/>; false, never an exception, for a key of another type.
    /// </summary>
    public bool Verify(JwsAlgorithm algorithm, byte[] data, byte[] signature)
    {
        if (algorithm != Algorithm)
        {
            return false;
        }

        try
        {
            if (_rsa is { } rsaParameters)
            {
                using var rsa = RSA.Create(rsaParameters);
                return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }

            // JWS carries r ‖ s, each 32 bytes for P-256 (RFC 7518 §3.4), not a DER sequence; a
            // signature of any other length fails this format's check.
            using var ecdsa = ECDsa.Create(_ec!.Value);
            return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            // Some platforms throw rather than return false for a signature of the wrong length.
            return false;
        }
    }
}
