namespace Vellum.Core.Recovery;

/// <summary>Bytes presented as a recovery share or an encrypted ledger secret do not follow their format.</summary>
public sealed class RecoveryFormatException : FormatException
{
    /// <summary>Creates the exception with a description of what is malformed.</summary>
    public RecoveryFormatException(string message)
        : base(message)
    {
    }
}
