namespace Vellum.Core.TreeHeads;

/// <summary>
/// Raised when the JSON of a signed tree head or a consistency response is malformed: not JSON, a
/// wrong type, a missing field, bad hexadecimal or base64, or a tree size that is not its
/// transaction's seqno. The message names the offending field by its JSON path, such as <c>to.root</c>.
/// </summary>
public sealed class TreeHeadFormatException : FormatException
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public TreeHeadFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the error that revealed the problem.</summary>
    public TreeHeadFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
