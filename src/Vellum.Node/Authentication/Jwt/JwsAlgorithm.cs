namespace Vellum.Node.Authentication.Jwt;

/// <summary>The JWS signature algorithms the validator accepts; every other <c>alg</c> is refused.</summary>
internal enum JwsAlgorithm
{
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).</summary>
    RS256,

    /// <summary>ECDSA on P-256 with SHA-256, signature as 64 bytes r ‖ s (RFC 7518 §3.4).</summary>
    ES256,
}
