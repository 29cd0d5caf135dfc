namespace Vellum.Core.Tests.Identity;

/// <summary>
/// A real receipt from ACL (api-version 2022-05-13) and the service certificate that endorses its
/// node, copied from the shared vectors because CI has only the repository.
/// </summary>
internal static class AclVectors
{
    public const string ServiceCertificatePem = """
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

    public const string NodeCertificatePem = """
        -----BEGIN CERTIFICATE-----
        MIIB0zCCAXqgAwIBAgIRALXhnOIN/WoLnD69pfR2rvQwCgYIKoZIzj0EAwIwFjEU
        MBIGA1UEAwwLQ0NGIE5ldHdvcmswHhcNMjIxMTAxMTg1NDM2WhcNMjMwMTMwMTg1
        NDM1WjATMREwDwYDVQQDDAhDQ0YgTm9kZTBZMBMGByqGSM49AgEGCCqGSM49AwEH
        A0IABAUkp7vj54d1qr51leVMEwn/GXFozJQ1Ycx+AYoCb++0a6lrekGEgN91dR6D
        YdaBRKbYPMphAf4vDQEcVIjpFwKjgaswgagwCQYDVR0TBAIwADAdBgNVHQ4EFgQU
        54/ExTbNk7ZnZWImu6xq+8vOngEwHwYDVR0jBBgwFoAUQgzYFOQLy0vDkm3wqLSl
        cJsbQm8wWwYDVR0RBFQwUocECvACNYIRYXAtc3RhZ2luZy1sZWRnZXKCN2FwLXN0
        YWdpbmctbGVkZ2VyLmNvbmZpZGVudGlhbC1sZWRnZXItc3RhZ2luZy5henVyZS5j
        b20wCgYIKoZIzj0EAwIDRwAwRAIgBkB5XGxiiB5hhyWuHrM5TDlLfDUNR4GV1vie
        tpmGmLsCIF76tqizqk+s5Wuoa8ePLvGxUXIy3Q+H2rfRFi2LIB0B
        -----END CERTIFICATE-----
        """;

    public const string NodeId = "708c2e71b2533e5eb38e05cc344390d133c8fb336cb80481ab4e5e902e6131a5";

    public const string WriteSetDigest = "fef1aa22972daba05864a7e986c1bb94aa6b8fea43781cb48907c972e9761e71";

    public const string CommitEvidence = "ce:2.35:fa08b4eae4a034971b97f0b21810951ec64b06fb2f4b5a1e80f6f4b83a23c719";

    public const string ClaimsDigest = "0000000000000000000000000000000000000000000000000000000000000000";

    // Every step of this receipt's proof is a left sibling.
    public static readonly string[] LeftProof =
    [
        "5e949d6d17b88900aeb8fb292f041075272d3b58108f2016a3ceea2a47ffad8f",
        "fb199f029ed1e7886ca95f8ecb4f9a56edede5f15fb425874c2a34861a9765ee",
        "efe9c61961fc189e292edeadb4317040ea4a6e5abc8cf349dc74295930ed7435",
    ];

    public const string Signature = "MEYCIQC05OyTn/a5ZKphfY4AsnnBF2Rfj0j0pNrfPtHHO5JvnwIhAPItujuzkC8enmxIsG2X82hBgHCaNoFHL9GC3XfejOUI";
}
