namespace Vellum.Core.Identity;

/// <summary>
/// The one statement of how a Merkle root signed by a node is checked against a trusted service
/// certificate, shared by receipts and signed tree heads so that the two can never disagree: the
/// node certificate has an EC key; each link node certificate → endorsements → service
/// certificate is an ordinary X.509 signature, with validity dates ignored as ACL does; the node
/// id, when present, is the SHA-256 of the node's SubjectPublicKeyInfo; and the node's ECDSA
/// signature verifies over the 32-byte root used as the digest.
/// </summary>
internal static class SignedRootVerifier
{
    /// <summary>Checks the signature over <paramref name="root"/>; null when every step passes.</summary>
    /// <param name="nodeCertificatePem">The signing node's certificate, PEM.</param>
    /// <param name="serviceEndorsements">PEM certificates linking the node certificate to the service certificate, oldest service first.</param>
    /// <param name="nodeId">The claimed node id (hex), or null when absent.</param>
    /// <param name="root">The root the signature must cover.</param>
    /// <param name="signature">The node's DER ECDSA signature.</param>
    /// <param name="serviceCertificatePem">The trusted service certificate, PEM.</param>
    public static SignedRootFailure? Verify(
        string nodeCertificatePem,
        IReadOnlyList<string> serviceEndorsements,
        string? nodeId,
        in Sha256Hash root,
        ReadOnlySpan<byte> signature,
        string serviceCertificatePem)
    {
        if (!CertificateFields.TryParsePem(nodeCertificatePem, out var nodeCertificate, out var error))
        {
            return new(SignedRootCheck.NodeCertificate, $"the node certificate cannot be read: {error}");
        }

        using var nodeKey = nodeCertificate.CreateEcdsaPublicKey(out error);
        if (nodeKey is null)
        {
            return new(SignedRootCheck.NodeCertificate, $"the node certificate is unusable: {error}");
        }

        var chainFailure = VerifyEndorsements(nodeCertificate, serviceEndorsements, serviceCertificatePem);
        if (chainFailure is not null)
        {
            return chainFailure;
        }

        if (nodeId is not null && !(Sha256Hash.TryParseHex(nodeId, out var given) && given == nodeCertificate.NodeId))
        {
            return new(SignedRootCheck.NodeId, $"the nodeId \"{Truncate(nodeId)}\" is not the SHA-256 of the node certificate's public key");
        }

        if (!NodeIdentity.VerifyRootSignature(nodeKey, root, signature))
        {
            return new(SignedRootCheck.Signature, $"the signature does not verify over the root {root} with the node certificate's key");
        }

        return null;
    }

    /// <summary>Shortens untrusted text quoted in a message.</summary>
    public static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    // The chain rule is EndorsementChain's, which the offline audit shares; only its verdict is mapped here.
    private static SignedRootFailure? VerifyEndorsements(CertificateFields nodeCertificate, IReadOnlyList<string> endorsements, string serviceCertificatePem) =>
        EndorsementChain.Holds(nodeCertificate, endorsements, serviceCertificatePem, out var check, out var reason)
            ? null
            : new(check == Receipts.ReceiptCheck.ServiceCertificate ? SignedRootCheck.ServiceCertificate : SignedRootCheck.Endorsements, reason);
}
