namespace Vellum.Core.Entries;

/// <summary>Bytes that were presented as a ledger entry do not follow the entry format.</summary>
public sealed class EntryFormatException : FormatException
{
    /// <summary>Creates the exception with a description of what is malformed.</summary>
    public EntryFormatException(string message)
        : base(message)
    {
    }
}
