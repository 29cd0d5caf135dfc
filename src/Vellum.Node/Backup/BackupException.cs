namespace Vellum.Node.Backup;

/// <summary>A backup could not be taken; the message says why in one sentence.</summary>
public sealed class BackupException : Exception
{
    /// <summary>Creates the exception with its reason.</summary>
    public BackupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and the failure that caused it.</summary>
    public BackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
