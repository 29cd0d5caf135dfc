namespace Vellum.Storage;

/// <summary>
/// The ledger stopped after a write or fsync failed. Nothing after the failure is reported
/// durable; reopening the directory recovers what reached the disk.
/// </summary>
public sealed class LedgerFaultedException : IOException
{
    /// <summary>Creates the exception around the failure that stopped the ledger.</summary>
    public LedgerFaultedException(Exception cause)
        : base($"The ledger stopped after a storage failure and must be reopened: {cause.Message}", cause)
    {
    }
}
