namespace Vellum.Core.Identity;

/// <summary>
/// The step of <see cref="SignedRootVerifier"/> that failed. Receipts and signed tree heads each
/// report these under their own check names, so the steps are stated once here.
/// </summary>
internal enum SignedRootCheck
{
    /// <summary>The node certificate cannot be read or has no EC public key.</summary>
    NodeCertificate,

    /// <summary>The trusted service certificate cannot be read or has no EC public key.</summary>
    ServiceCertificate,

    /// <summary>The chain node certificate → endorsements → service certificate does not hold.</summary>
    Endorsements,

    /// <summary>The node id does not match the node certificate's public key.</summary>
    NodeId,

    /// <summary>The node's signature does not verify over the root.</summary>
    Signature,
}
