namespace Vellum.Core.Receipts;

/// <summary>
/// Raised when receipt JSON is malformed: not JSON, a wrong type, a missing required field, a
/// proof element with both or neither side, bad hexadecimal or base64. The message names the
/// offending field by its JSON path, such as <c>receipt.proof[2]</c>.
/// </summary>
public sealed class ReceiptFormatException : FormatException
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public ReceiptFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the error that revealed the problem.</summary>
    public ReceiptFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
