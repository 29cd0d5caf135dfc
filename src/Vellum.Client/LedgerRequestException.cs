namespace Vellum.Client;

/// <summary>
/// A request the ledger refused or that could not be completed: the HTTP status, ACL's error code
/// and the service's message. Transient failures surface as this too once retries are exhausted.
/// </summary>
public sealed class LedgerRequestException : Exception
{
    /// <summary>The error code for a request that got no HTTP answer because the connection failed.</summary>
    public const string ConnectionFailedCode = "ConnectionFailed";

    /// <summary>
    /// The error code for a TLS handshake that failed, most often because the node's certificate
    /// chain does not end at the pinned ledger identity.
    /// </summary>
    public const string SecureConnectionFailedCode = "SecureConnectionFailed";

    /// <summary>The error code for a request redirected more often than <see cref="LedgerClientOptions.MaxRedirects"/> allows.</summary>
    public const string TooManyRedirectsCode = "TooManyRedirects";

    /// <summary>The error code for a request that got no answer within <see cref="LedgerClientOptions.RequestTimeout"/>.</summary>
    public const string TimeoutCode = "Timeout";

    /// <summary>The error code for an answer whose body is not what the API promises.</summary>
    public const string InvalidResponseCode = "InvalidResponse";

    /// <summary>Creates the exception.</summary>
    /// <param name="status">The HTTP status, or 0 when no answer came.</param>
    /// <param name="errorCode">ACL's error code (<c>error.code</c>), or one of this class's codes.</param>
    /// <param name="errorMessage">The service's message (<c>error.message</c>), or what went wrong.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public LedgerRequestException(int status, string errorCode, string errorMessage, Exception? innerException = null)
        : base(Describe(status, errorCode, errorMessage), innerException)
    {
        ArgumentNullException.ThrowIfNull(errorCode);
        ArgumentNullException.ThrowIfNull(errorMessage);
        Status = status;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    /// <summary>The HTTP status, or 0 when no answer came (connection or TLS failure).</summary>
    public int Status { get; }

    /// <summary>ACL's error code, such as <c>InvalidTransactionId</c> or <c>Forbidden</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The service's own message.</summary>
    public string ErrorMessage { get; }

    private static string Describe(int status, string errorCode, string errorMessage) =>
        status == 0 ? $"{errorCode}: {errorMessage}" : $"{status} {errorCode}: {errorMessage}";
}
