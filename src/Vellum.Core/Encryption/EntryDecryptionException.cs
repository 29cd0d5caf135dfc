namespace Vellum.Core.Encryption;

/// <summary>
/// A private write cannot be opened: its ciphertext, tag or public part was modified, or it
/// names a ledger secret that is not known or not in force at its seqno.
/// </summary>
public sealed class EntryDecryptionException : Exception
{
    /// <summary>Creates the exception for the entry <paramref name="transactionId"/>.</summary>
    public EntryDecryptionException(TransactionId transactionId, string problem, Exception? inner = null)
        : base($"Private entry {transactionId} cannot be opened: {problem}", inner)
    {
        TransactionId = transactionId;
    }

    /// <summary>The entry that cannot be opened.</summary>
    public TransactionId TransactionId { get; }
}
