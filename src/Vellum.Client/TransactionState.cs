namespace Vellum.Client;

/// <summary>Where a transaction is on its way to commit (ACL's <c>TransactionState</c>).</summary>
public enum TransactionState
{
    /// <summary>The transaction is sequenced but not yet committed; a change of primary may still roll it back.</summary>
    Pending,

    /// <summary>The transaction is committed: durable on a majority, and it has a receipt.</summary>
    Committed,
}
