using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Vellum.Core.TreeHeads;

/// <summary>
/// A signed tree head: the Merkle root over the first <see cref="TreeSize"/> leaves of a ledger,
/// as a signature transaction holds it, with the signature of the node that wrote that
/// transaction, the node's certificate, and the endorsements that link the certificate to the
/// current service certificate after a disaster recovery. It is what <c>GET /app/tree/head</c>
/// returns, in the JSON form of <see cref="ToJson"/>.
/// </summary>
/// <remarks>
/// A head is only data until <see cref="TreeHeadVerifier.Verify"/> has checked it against a
/// service certificate the caller trusts. As in CCF, the node signs the root alone: the tree
/// size and transaction id are bound to the root by consistency proofs and receipts, not by the
/// signature. Leaf 0 of a Vellum tree is 32 zero bytes, so the signature transaction at seqno
/// <c>s</c> signs the tree of <c>s</c> leaves, and <see cref="TreeSize"/> is always the seqno of
/// <see cref="TransactionId"/>.
/// </remarks>
public sealed class SignedTreeHead
{
    private readonly byte[] _signature;

    /// <summary>Builds a head; the signature and endorsements are copied.</summary>
    /// <param name="transactionId">The signature transaction; its seqno is the tree size.</param>
    /// <param name="root">The signed root over leaves <c>[0, seqno)</c>.</param>
    /// <param name="signature">The node's DER ECDSA signature over the root, used as the digest.</param>
    /// <param name="nodeCertificatePem">The signing node's certificate, PEM.</param>
    /// <param name="nodeId">Hex SHA-256 of the node certificate's SubjectPublicKeyInfo, or null to leave it out.</param>
    /// <param name="serviceEndorsements">PEM certificates linking the node certificate to the current service certificate, oldest first; none for a head signed by the current service.</param>
    /// <exception cref="ArgumentException">The seqno is below 1, the signature is empty, or an endorsement is null.</exception>
    public SignedTreeHead(
        TransactionId transactionId,
        Sha256Hash root,
        ReadOnlySpan<byte> signature,
        string nodeCertificatePem,
        string? nodeId,
        IEnumerable<string>? serviceEndorsements = null)
    {
        ArgumentNullException.ThrowIfNull(nodeCertificatePem);
        ArgumentOutOfRangeException.ThrowIfLessThan(transactionId.Seqno, 1, nameof(transactionId));
        if (signature.IsEmpty)
        {
            throw new ArgumentException("A signed tree head needs a signature.", nameof(signature));
        }

        var endorsements = (serviceEndorsements ?? []).ToArray();
        if (endorsements.Any(e => e is null))
        {
            throw new ArgumentException("A service endorsement cannot be null.", nameof(serviceEndorsements));
        }

        TransactionId = transactionId;
        Root = root;
        _signature = signature.ToArray();
        Cert = nodeCertificatePem;
        NodeId = nodeId;
        ServiceEndorsements = endorsements.AsReadOnly();
    }

    /// <summary>The number of leaves the root covers (<c>treeSize</c>): the seqno of <see cref="TransactionId"/>.</summary>
    public long TreeSize => TransactionId.Seqno;

    /// <summary>The signature transaction that holds this head (<c>transactionId</c>).</summary>
    public TransactionId TransactionId { get; }

    /// <summary>The signed Merkle root (<c>root</c>, hex on the wire).</summary>
    public Sha256Hash Root { get; }

    /// <summary>The node's DER ECDSA signature over the root (<c>signature</c>, base64 on the wire, as in receipts).</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The signing node's certificate, PEM (<c>cert</c>).</summary>
    public string Cert { get; }

    /// <summary>Hex SHA-256 of the node's SubjectPublicKeyInfo (<c>nodeId</c>), or null when absent.</summary>
    public string? NodeId { get; }

    /// <summary>PEM certificates linking the node certificate to the current service certificate (<c>serviceEndorsements</c>).</summary>
    public ReadOnlyCollection<string> ServiceEndorsements { get; }

    /// <summary>
    /// Parses a head from its JSON object. Unknown members are ignored, so that later versions
    /// may add some; a missing or malformed known member is an error naming it.
    /// </summary>
    /// <exception cref="TreeHeadFormatException">The JSON is not a head.</exception>
    public static SignedTreeHead Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TreeHeadJsonReader.Parse(json, TreeHeadJsonReader.ReadHead);
    }

    /// <summary>Parses like <see cref="Parse"/>, reporting failure instead of throwing.</summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out SignedTreeHead? head, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            head = Parse(json);
            error = null;
            return true;
        }
        catch (TreeHeadFormatException exception)
        {
            head = null;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>
    /// Writes the head as one JSON object: <c>treeSize</c>, <c>root</c>, <c>transactionId</c>,
    /// <c>signature</c>, <c>cert</c>, <c>nodeId</c> (when known) and <c>serviceEndorsements</c>.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("treeSize", TreeSize);
        writer.WriteString("root", Root.ToHex());
        writer.WriteString("transactionId", TransactionId.ToString());
        writer.WriteBase64String("signature", _signature);
        writer.WriteString("cert", Cert);
        if (NodeId is not null)
        {
            writer.WriteString("nodeId", NodeId);
        }

        writer.WriteStartArray("serviceEndorsements");
        foreach (var endorsement in ServiceEndorsements)
        {
            writer.WriteStringValue(endorsement);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The head as JSON text, in the form <see cref="Parse"/> reads.</summary>
    public string ToJson() => TreeHeadJsonReader.Serialize(WriteTo);

    /// <summary>True when both heads are of the same tree size with the same root, whoever signed them.</summary>
    public bool SameTreeAs(SignedTreeHead other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return TreeSize == other.TreeSize && Root == other.Root;
    }

    /// <summary>A short description for messages: the tree size, transaction and root.</summary>
    public override string ToString() => $"tree size {TreeSize} (transaction {TransactionId}, root {Root})";
}
