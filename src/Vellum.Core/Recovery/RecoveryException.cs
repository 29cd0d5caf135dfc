namespace Vellum.Core.Recovery;

/// <summary>The ledger secret could not be recovered; <see cref="Reason"/> says why.</summary>
public sealed class RecoveryException : Exception
{
    /// <summary>Creates the exception for <paramref name="reason"/> with a description.</summary>
    public RecoveryException(RecoveryFailure reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why recovery failed.</summary>
    public RecoveryFailure Reason { get; }
}
