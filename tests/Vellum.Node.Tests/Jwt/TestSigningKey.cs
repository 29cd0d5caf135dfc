using System.Buffers.Text;
using System.Security.Cryptography;

namespace Vellum.Node.Tests.Jwt;

/// <summary>A private key the test issuer signs with, and its public JWK.</summary>
public sealed class TestSigningKey : IDisposable
{
    // Generating an RSA-2048 key takes up to a second on a small machine, so most test keys share
    // a few generated once; a test that needs key material no other key has asks for a distinct one.
    private static readonly Lazy<RSA[]> RsaPool = new(() => Enumerable.Range(0, 4).AsParallel().Select(_ => RSA.Create(2048)).ToArray());
    private static int _nextPooled;

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly bool _owned;

    private TestSigningKey(string keyId, RSA? rsa, ECDsa? ecdsa, bool owned = true)
    {
        KeyId = keyId;
        _rsa = rsa;
        _ecdsa = ecdsa;
        _owned = owned;
    }

    public string KeyId { get; }

    /// <summary>The JWS algorithm this key signs with.</summary>
    public string Algorithm => _rsa is null ? "ES256" : "RS256";

    /// <summary>An RSA-2048 key from a shared pool: its material may equal another pooled key's.</summary>
    public static TestSigningKey Rsa(string keyId) =>
        new(keyId, RsaPool.Value[(Interlocked.Increment(ref _nextPooled) & int.MaxValue) % RsaPool.Value.Length], null, owned: false);

    /// <summary>A newly generated RSA key, unlike any other.</summary>
    public static TestSigningKey DistinctRsa(string keyId, int bits = 2048) => new(keyId, RSA.Create(bits), null);

    public static TestSigningKey Ec(string keyId) => new(keyId, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The key's RS256 or ES256 signature; ES256 in the 64-byte form JWS uses unless told otherwise.</summary>
    public byte[] Sign(byte[] data, DSASignatureFormat ecFormat = DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
    {
        if (_rsa is null)
        {
            return _ecdsa!.SignData(data, HashAlgorithmName.SHA256, ecFormat);
        }

        // Pooled keys are shared by tests running in parallel.
        lock (_rsa)
        {
            return _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }

    /// <summary>The public key as an RFC 7517 JWK, with any <paramref name="extra"/> members added or replaced.</summary>
    public Dictionary<string, object?> ToJwk(Dictionary<string, object?>? extra = null)
    {
        Dictionary<string, object?> jwk;
        if (_rsa is not null)
        {
            var parameters = _rsa.ExportParameters(includePrivateParameters: false);
            jwk = new() { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = KeyId, ["n"] = Encode(parameters.Modulus!), ["e"] = Encode(parameters.Exponent!) };
        }
        else
        {
            var parameters = _ecdsa!.ExportParameters(includePrivateParameters: false);
            jwk = new() { ["kty"] = "EC", ["use"] = "sig", ["kid"] = KeyId, ["crv"] = "P-256", ["x"] = Encode(parameters.Q.X!), ["y"] = Encode(parameters.Q.Y!) };
        }

        foreach (var (name, value) in extra ?? [])
        {
            jwk[name] = value;
        }

        return jwk;
    }

    /// <summary>The public key's bytes, for the HS256 key-confusion attack that signs with them as an HMAC secret.</summary>
    public byte[] PublicKeyBytes() => _rsa?.ExportSubjectPublicKeyInfo() ?? _ecdsa!.ExportSubjectPublicKeyInfo();

    public void Dispose()
    {
        if (_owned)
        {
            _rsa?.Dispose();
            _ecdsa?.Dispose();
        }
    }

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
