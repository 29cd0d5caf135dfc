namespace Vellum.Core.Receipts;

/// <summary>The outcome of verifying a receipt: valid, or which check failed and why.</summary>
public sealed class ReceiptVerificationResult
{
    private ReceiptVerificationResult(ReceiptCheck failedCheck, string? reason)
    {
        FailedCheck = failedCheck;
        Reason = reason;
    }

    /// <summary>The result of a receipt that passed every check.</summary>
    public static ReceiptVerificationResult Valid { get; } = new(ReceiptCheck.None, null);

    /// <summary>True when every check passed.</summary>
    public bool IsValid => FailedCheck == ReceiptCheck.None;

    /// <summary>The check that failed, or <see cref="ReceiptCheck.None"/>.</summary>
    public ReceiptCheck FailedCheck { get; }

    /// <summary>Why the check failed, in a sentence; null when valid.</summary>
    public string? Reason { get; }

    /// <summary>A failure of <paramref name="check"/> for <paramref name="reason"/>.</summary>
    public static ReceiptVerificationResult Failure(ReceiptCheck check, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (check == ReceiptCheck.None)
        {
            throw new ArgumentException("A failure names the check that failed.", nameof(check));
        }

        return new ReceiptVerificationResult(check, reason);
    }

    /// <inheritdoc />
    public override string ToString() => IsValid ? "The receipt is valid." : $"The receipt is invalid ({FailedCheck}): {Reason}";
}
