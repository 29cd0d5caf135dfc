using System.Text.Json;

namespace Vellum.Node.Attestation;

/// <summary>
/// The default platform for machines without enclave hardware. Its quote is a plain JSON
/// statement, labelled as virtual, that proves nothing about hardware: anyone can produce it.
/// </summary>
public sealed class VirtualAttestationPlatform : IAttestationPlatform
{
    /// <summary>The shared instance.</summary>
    public static VirtualAttestationPlatform Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "virtual";

    /// <inheritdoc />
    public bool IsHardwareProtected => false;

    /// <inheritdoc />
    public string QuoteVersion => "Vellum_Virtual_v1";

    /// <inheritdoc />
    public byte[] Quote(string nodeId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("platform", Name);
            writer.WriteString("nodeId", nodeId);
            writer.WriteString("warning", "Virtual platform: this quote is software-made and proves nothing about hardware or memory protection.");
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <inheritdoc />
    /// <remarks>Checks only that the statement names this platform and the node: a virtual quote carries no evidence to check.</remarks>
    public bool Verify(ReadOnlySpan<byte> quote, string nodeId)
    {
        try
        {
            var reader = new Utf8JsonReader(quote);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("platform", out var platform) && platform.ValueEquals(Name)
                && root.TryGetProperty("nodeId", out var node) && node.ValueEquals(nodeId);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
