namespace Vellum.Node.Attestation;

/// <summary>
/// The seam between a node and the hardware that could vouch for it. A platform produces the
/// quote a node publishes at <c>GET /app/enclaveQuotes</c>; only a hardware platform's quote
/// proves anything about the code and memory protection of the node.
/// </summary>
public interface IAttestationPlatform
{
    /// <summary>The platform's name, such as <c>virtual</c>.</summary>
    string Name { get; }

    /// <summary>Whether the platform gives hardware protection; false for <c>virtual</c>.</summary>
    bool IsHardwareProtected { get; }

    /// <summary>The quote format, reported as <c>quoteVersion</c>.</summary>
    string QuoteVersion { get; }

    /// <summary>A quote binding <paramref name="nodeId"/> (the digest of the node's public key) to the platform.</summary>
    byte[] Quote(string nodeId);

    /// <summary>Whether <paramref name="quote"/> is this platform's quote for <paramref name="nodeId"/>.</summary>
    bool Verify(ReadOnlySpan<byte> quote, string nodeId);
}
