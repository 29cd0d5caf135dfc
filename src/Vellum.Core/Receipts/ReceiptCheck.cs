namespace Vellum.Core.Receipts;

/// <summary>The step of receipt verification that failed, in the order ACL's verifier runs them.</summary>
public enum ReceiptCheck
{
    /// <summary>No check failed: the receipt is valid.</summary>
    None,

    /// <summary>The receipt JSON is malformed, or the response holds no receipt yet.</summary>
    Format,

    /// <summary>The claims digest computed from the application claims differs from the receipt's.</summary>
    Claims,

    /// <summary>The node certificate cannot be read or has no EC public key.</summary>
    NodeCertificate,

    /// <summary>The service certificate given to the verifier cannot be read or has no EC public key.</summary>
    ServiceCertificate,

    /// <summary>The chain node certificate → endorsements → service certificate does not hold.</summary>
    Endorsements,

    /// <summary>The node id does not match the node certificate's public key.</summary>
    NodeId,

    /// <summary>The node's signature does not verify over the root computed from the leaf and proof.</summary>
    Signature,

    /// <summary>The response's transactionId differs from the one in the signed commit evidence.</summary>
    TransactionId,
}
