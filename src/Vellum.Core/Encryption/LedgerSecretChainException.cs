namespace Vellum.Core.Encryption;

/// <summary>
/// A ledger secret record cannot be opened with the key given: the key is not the one that
/// sealed it (a wrong recovered secret, another ledger's service secret), or the record was
/// modified, or the records are not one unbroken chain of versions.
/// </summary>
public sealed class LedgerSecretChainException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public LedgerSecretChainException(string message)
        : base(message)
    {
    }
}
