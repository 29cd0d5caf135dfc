namespace Vellum.Core.TreeHeads;

/// <summary>The check of a signed tree head, or of a consistency proof between two, that failed.</summary>
public enum TreeHeadCheck
{
    /// <summary>No check failed.</summary>
    None,

    /// <summary>The node certificate cannot be read or has no EC public key.</summary>
    NodeCertificate,

    /// <summary>The service certificate given to the verifier cannot be read or has no EC public key.</summary>
    ServiceCertificate,

    /// <summary>The chain node certificate → endorsements → service certificate does not hold.</summary>
    Endorsements,

    /// <summary>The node id does not match the node certificate's public key.</summary>
    NodeId,

    /// <summary>The node's signature does not verify over the head's root.</summary>
    Signature,

    /// <summary>The later head is of a smaller tree than the earlier one: the ledger shrank.</summary>
    TreeShrank,

    /// <summary>
    /// The two heads are not of one growing tree: the same size with different roots, or a proof
    /// that does not lead from the earlier root to the later one.
    /// </summary>
    Consistency,
}
