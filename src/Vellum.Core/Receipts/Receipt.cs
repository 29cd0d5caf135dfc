using System.Collections.ObjectModel;
using System.Security.Cryptography;
using Vellum.Core.Identity;
using Vellum.Core.Merkle;

namespace Vellum.Core.Receipts;

/// <summary>
/// A write receipt in ACL's current (CCF 2.x and later) form: the leaf components of one
/// transaction, the Merkle path from its leaf to a root, the node's signature over that root, and
/// the node certificate with the endorsements that link it to the service certificate.
/// </summary>
/// <remarks>
/// A receipt is only data: holding one proves nothing until <see cref="ReceiptVerifier"/> has
/// checked it against a service certificate the verifier trusts.
/// </remarks>
public sealed class Receipt
{
    private readonly byte[] _signature;

    /// <summary>Builds a receipt; the collections and the signature are copied.</summary>
    /// <param name="leafComponents">The transaction's leaf components.</param>
    /// <param name="proof">The inclusion proof steps, from the leaf up to the signed root.</param>
    /// <param name="signature">The node's DER ECDSA signature over the root, used as a SHA-256 digest.</param>
    /// <param name="nodeCertificatePem">The signing node's certificate, PEM.</param>
    /// <param name="nodeId">Hex SHA-256 of the node certificate's SubjectPublicKeyInfo, or null to leave it out.</param>
    /// <param name="serviceEndorsements">PEM certificates linking the node certificate to the service certificate, in order; usually none.</param>
    public Receipt(
        LeafComponents leafComponents,
        IEnumerable<ProofStep> proof,
        ReadOnlySpan<byte> signature,
        string nodeCertificatePem,
        string? nodeId,
        IEnumerable<string>? serviceEndorsements = null)
    {
        ArgumentNullException.ThrowIfNull(leafComponents);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(nodeCertificatePem);
        LeafComponents = leafComponents;
        Proof = proof.ToArray().AsReadOnly();
        _signature = signature.ToArray();
        Cert = nodeCertificatePem;
        NodeId = nodeId;
        var endorsements = (serviceEndorsements ?? []).ToArray();
        if (endorsements.Any(e => e is null))
        {
            throw new ArgumentException("A service endorsement cannot be null.", nameof(serviceEndorsements));
        }

        ServiceEndorsements = endorsements.AsReadOnly();
    }

    /// <summary>The signing node's certificate, PEM (<c>cert</c>).</summary>
    public string Cert { get; }

    /// <summary>The values the leaf is computed from (<c>leafComponents</c>).</summary>
    public LeafComponents LeafComponents { get; }

    /// <summary>Hex SHA-256 of the node's SubjectPublicKeyInfo (<c>nodeId</c>), or null when absent.</summary>
    public string? NodeId { get; }

    /// <summary>The path from the leaf to the signed root (<c>proof</c>).</summary>
    public ReadOnlyCollection<ProofStep> Proof { get; }

    /// <summary>PEM certificates linking the node certificate to the service certificate (<c>serviceEndorsements</c>).</summary>
    public ReadOnlyCollection<string> ServiceEndorsements { get; }

    /// <summary>The node's DER ECDSA signature over the root (<c>signature</c>, base64 on the wire).</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The root the proof leads to from the leaf; the signature must cover this value.</summary>
    public Sha256Hash ComputeRoot() => InclusionProof.ComputeRoot(LeafComponents.Leaf(), Proof);

    /// <summary>
    /// The node id of a certificate: lowercase hex SHA-256 of its DER SubjectPublicKeyInfo, as CCF
    /// computes it and as the verifier checks it.
    /// </summary>
    /// <exception cref="FormatException">The text is not a PEM X.509 certificate.</exception>
    public static string ComputeNodeId(string nodeCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(nodeCertificatePem);
        if (!CertificateFields.TryParsePem(nodeCertificatePem, out var certificate, out var error))
        {
            throw new FormatException($"The node certificate cannot be read: {error}.");
        }

        return certificate.NodeId.ToHex();
    }
}
