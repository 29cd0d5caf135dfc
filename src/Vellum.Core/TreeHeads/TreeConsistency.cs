using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Vellum.Core.TreeHeads;

/// <summary>
/// The answer of <c>GET /app/tree/consistency</c>: two signed heads of one ledger and the RFC 9162
/// consistency proof that the later tree has the earlier one as its prefix, in the JSON form
/// <c>{"from":head,"to":head,"proof":["hex",…]}</c>.
/// </summary>
public sealed class TreeConsistency
{
    /// <summary>Builds the response; the proof is copied.</summary>
    /// <param name="from">The earlier head.</param>
    /// <param name="to">The later head, of a tree at least as large.</param>
    /// <param name="proof">The proof's hashes in RFC 9162 order; empty when both heads are of one size.</param>
    /// <exception cref="ArgumentException"><paramref name="from"/> is of a larger tree than <paramref name="to"/>.</exception>
    public TreeConsistency(SignedTreeHead from, SignedTreeHead to, IEnumerable<Sha256Hash> proof)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(proof);
        if (from.TreeSize > to.TreeSize)
        {
            throw new ArgumentException($"The earlier head (tree size {from.TreeSize}) is of a larger tree than the later one ({to.TreeSize}).", nameof(from));
        }

        From = from;
        To = to;
        Proof = proof.ToArray().AsReadOnly();
    }

    /// <summary>The earlier head (<c>from</c>).</summary>
    public SignedTreeHead From { get; }

    /// <summary>The later head (<c>to</c>).</summary>
    public SignedTreeHead To { get; }

    /// <summary>The consistency proof's hashes in RFC 9162 order (<c>proof</c>, hex on the wire).</summary>
    public ReadOnlyCollection<Sha256Hash> Proof { get; }

    /// <summary>Parses the response JSON.</summary>
    /// <exception cref="TreeHeadFormatException">The JSON is malformed; the message names the field.</exception>
    public static TreeConsistency Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TreeHeadJsonReader.Parse(json, TreeHeadJsonReader.ReadConsistency);
    }

    /// <summary>Parses like <see cref="Parse"/>, reporting failure instead of throwing.</summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out TreeConsistency? consistency, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            consistency = Parse(json);
            error = null;
            return true;
        }
        catch (TreeHeadFormatException exception)
        {
            consistency = null;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>Writes the response as one JSON object.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("from");
        From.WriteTo(writer);
        writer.WritePropertyName("to");
        To.WriteTo(writer);
        writer.WriteStartArray("proof");
        foreach (var node in Proof)
        {
            writer.WriteStringValue(node.ToHex());
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The response as JSON text, in the form <see cref="Parse"/> reads.</summary>
    public string ToJson() => TreeHeadJsonReader.Serialize(WriteTo);

    /// <summary>
    /// Verifies both heads against the trusted service certificate and the proof between them:
    /// <see cref="TreeHeadVerifier.VerifyConsistency"/> on this response's parts.
    /// </summary>
    public TreeHeadVerificationResult Verify(string serviceCertificatePem) =>
        TreeHeadVerifier.VerifyConsistency(From, To, Proof, serviceCertificatePem);
}
