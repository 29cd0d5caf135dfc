namespace Vellum.Core.Receipts;

/// <summary>ACL's <c>LedgerQueryState</c> for a receipt request.</summary>
public enum ReceiptState
{
    /// <summary>The historical state is still being loaded; there is no receipt yet and the client polls.</summary>
    Loading,

    /// <summary>The receipt is in the response.</summary>
    Ready,
}
