using System.Text.Json.Nodes;

namespace Vellum.Cli.Tests;

/// <summary>
/// The real ACL receipt (2022, snake_case keys) and the service certificate it verifies against,
/// copied byte for byte from the shared vectors into the test output.
/// </summary>
internal static class AclVectorFiles
{
    public static string ReceiptPath => Path.Combine(AppContext.BaseDirectory, "Vectors", "acl-receipt-1.json");

    public static string ServiceCertificatePath => Path.Combine(AppContext.BaseDirectory, "Vectors", "acl-service-cert-1.pem");

    /// <summary>The vector's inner receipt object.</summary>
    public static JsonObject Receipt() => JsonNode.Parse(File.ReadAllText(ReceiptPath))!["receipt"]!.AsObject();
}
