namespace Vellum.Core.TreeHeads;

/// <summary>The outcome of verifying a signed tree head or a consistency proof: valid, or which check failed and why.</summary>
public sealed class TreeHeadVerificationResult
{
    private TreeHeadVerificationResult(TreeHeadCheck failedCheck, string? reason)
    {
        FailedCheck = failedCheck;
        Reason = reason;
    }

    /// <summary>The result when every check passed.</summary>
    public static TreeHeadVerificationResult Valid { get; } = new(TreeHeadCheck.None, null);

    /// <summary>True when every check passed.</summary>
    public bool IsValid => FailedCheck == TreeHeadCheck.None;

    /// <summary>The check that failed, or <see cref="TreeHeadCheck.None"/>.</summary>
    public TreeHeadCheck FailedCheck { get; }

    /// <summary>Why the check failed, in a sentence; null when valid.</summary>
    public string? Reason { get; }

    /// <summary>A failure of <paramref name="check"/> for <paramref name="reason"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="check"/> is <see cref="TreeHeadCheck.None"/> or the reason is empty.</exception>
    public static TreeHeadVerificationResult Failure(TreeHeadCheck check, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (check == TreeHeadCheck.None)
        {
            throw new ArgumentException("A failure names the check that failed.", nameof(check));
        }

        return new TreeHeadVerificationResult(check, reason);
    }

    /// <inheritdoc />
    public override string ToString() => IsValid ? "valid" : $"invalid ({FailedCheck}): {Reason}";
}
