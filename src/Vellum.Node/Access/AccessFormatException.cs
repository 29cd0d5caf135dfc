namespace Vellum.Node.Access;

/// <summary>
/// Raised for malformed access JSON: an access change record read back from the ledger, or an
/// <c>/app/roles</c> request body. The message names the offending field by its JSON path.
/// </summary>
public sealed class AccessFormatException : FormatException
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public AccessFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception for a problem the API answers with its own code rather than as a malformed body.</summary>
    public AccessFormatException(string message, AccessRejectionCode code)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates the exception wrapping the error that revealed the problem.</summary>
    public AccessFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The code the API answers with (such as <c>InvalidRoleName</c>); null for a malformed body.</summary>
    public AccessRejectionCode? Code { get; }
}
