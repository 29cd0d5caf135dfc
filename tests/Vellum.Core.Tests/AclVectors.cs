using System.Text.Json;

namespace Vellum.Core.Tests;

/// <summary>
/// A real receipt from ACL (2022, snake_case keys) and the service certificate it verifies
/// against, copied byte for byte from the shared test vectors so that CI needs only this repository.
/// </summary>
internal static class AclVectors
{
    private static readonly Lazy<JsonElement> Receipt = new(() => JsonDocument.Parse(Receipt1Json).RootElement.GetProperty("receipt").Clone());

    /// <summary>The receipt's node certificate.</summary>
    public static string NodeCertificatePem => Field("cert");

    /// <summary>The receipt's node id: SHA-256 of the node certificate's public key info.</summary>
    public static string NodeId => Field("node_id");

    /// <summary>The receipt's signature over its root.</summary>
    public static string Signature => Field("signature");

    /// <summary>The receipt's leaf components.</summary>
    public static string WriteSetDigest => Receipt.Value.GetProperty("leaf_components").GetProperty("write_set_digest").GetString()!;

    /// <inheritdoc cref="WriteSetDigest"/>
    public static string CommitEvidence => Receipt.Value.GetProperty("leaf_components").GetProperty("commit_evidence").GetString()!;

    /// <inheritdoc cref="WriteSetDigest"/>
    public static string ClaimsDigest => Receipt.Value.GetProperty("leaf_components").GetProperty("claims_digest").GetString()!;

    /// <summary>The receipt's proof: every element is a left sibling.</summary>
    public static string[] LeftProof => Receipt.Value.GetProperty("proof").EnumerateArray().Select(step => step.GetProperty("left").GetString()!).ToArray();

    private static string Field(string name) => Receipt.Value.GetProperty(name).GetString()!;

    /// <summary>The receipt response, exactly as the service returned it.</summary>
    public const string Receipt1Json =
        """
        {
         "transactionId": "2.35",
         "receipt": {
          "is_signature_transaction": false,
          "cert": "-----BEGIN CERTIFICATE-----\nMIIB0zCCAXqgAwIBAgIRALXhnOIN/WoLnD69pfR2rvQwCgYIKoZIzj0EAwIwFjEU\nMBIGA1UEAwwLQ0NGIE5ldHdvcmswHhcNMjIxMTAxMTg1NDM2WhcNMjMwMTMwMTg1\nNDM1WjATMREwDwYDVQQDDAhDQ0YgTm9kZTBZMBMGByqGSM49AgEGCCqGSM49AwEH\nA0IABAUkp7vj54d1qr51leVMEwn/GXFozJQ1Ycx+AYoCb++0a6lrekGEgN91dR6D\nYdaBRKbYPMphAf4vDQEcVIjpFwKjgaswgagwCQYDVR0TBAIwADAdBgNVHQ4EFgQU\n54/ExTbNk7ZnZWImu6xq+8vOngEwHwYDVR0jBBgwFoAUQgzYFOQLy0vDkm3wqLSl\ncJsbQm8wWwYDVR0RBFQwUocECvACNYIRYXAtc3RhZ2luZy1sZWRnZXKCN2FwLXN0\nYWdpbmctbGVkZ2VyLmNvbmZpZGVudGlhbC1sZWRnZXItc3RhZ2luZy5henVyZS5j\nb20wCgYIKoZIzj0EAwIDRwAwRAIgBkB5XGxiiB5hhyWuHrM5TDlLfDUNR4GV1vie\ntpmGmLsCIF76tqizqk+s5Wuoa8ePLvGxUXIy3Q+H2rfRFi2LIB0B\n-----END CERTIFICATE-----\n",
          "node_id": "708c2e71b2533e5eb38e05cc344390d133c8fb336cb80481ab4e5e902e6131a5",
          "service_endorsements": [],
          "leaf_components": {
           "claims_digest": "0000000000000000000000000000000000000000000000000000000000000000",
           "commit_evidence": "ce:2.35:fa08b4eae4a034971b97f0b21810951ec64b06fb2f4b5a1e80f6f4b83a23c719",
           "write_set_digest": "fef1aa22972daba05864a7e986c1bb94aa6b8fea43781cb48907c972e9761e71"
          },
          "proof": [
           {
            "left": "5e949d6d17b88900aeb8fb292f041075272d3b58108f2016a3ceea2a47ffad8f"
           },
           {
            "left": "fb199f029ed1e7886ca95f8ecb4f9a56edede5f15fb425874c2a34861a9765ee"
           },
           {
            "left": "efe9c61961fc189e292edeadb4317040ea4a6e5abc8cf349dc74295930ed7435"
           }
          ],
          "signature": "MEYCIQC05OyTn/a5ZKphfY4AsnnBF2Rfj0j0pNrfPtHHO5JvnwIhAPItujuzkC8enmxIsG2X82hBgHCaNoFHL9GC3XfejOUI"
         }
        }
        """;

    /// <summary>The service identity certificate (the identity endpoint's ledgerTlsCertificate).</summary>
    public const string ServiceCertificate1Pem =
        """
        -----BEGIN CERTIFICATE-----
        MIIBejCCASCgAwIBAgIQcmv2rRjksVYvqdOOHxp5UjAKBggqhkjOPQQDAjAWMRQw
        EgYDVQQDDAtDQ0YgTmV0d29yazAeFw0yMjExMDExODU0MzNaFw0yMzAxMzAxODU0
        MzJaMBYxFDASBgNVBAMMC0NDRiBOZXR3b3JrMFkwEwYHKoZIzj0CAQYIKoZIzj0D
        AQcDQgAEEFi2//FtAFoJvS+4jzQte+hjhhtBee8yjZ28ntukjeqWbG8XCncx4e0j
        eoQbFmGC9BnMb+t3t6FskQZkvgobrqNQME4wDAYDVR0TBAUwAwEB/zAdBgNVHQ4E
        FgQUQgzYFOQLy0vDkm3wqLSlcJsbQm8wHwYDVR0jBBgwFoAUQgzYFOQLy0vDkm3w
        qLSlcJsbQm8wCgYIKoZIzj0EAwIDSAAwRQIhAN/DrvHLpwRa7PeuN7q4ZztPjEY6
        R8r2IuT+wd5lMe7UAiAu7FftNooRjWIJ6pVFQO1xPtjCI5/JyvBUcJqfWT+Q2g==
        -----END CERTIFICATE-----

        """;
}
