namespace Vellum.Node.Backup;

/// <summary>How the node's latest scheduled backup run ended, as <c>/node/state</c> reports it.</summary>
/// <param name="FinishedAt">When the run ended.</param>
/// <param name="LastSeqno">The last seqno the backup holds after a run that succeeded; null after one that failed.</param>
/// <param name="Error">Why the run failed, in one sentence; null when it succeeded.</param>
public sealed record BackupOutcome(DateTimeOffset FinishedAt, long? LastSeqno, string? Error)
{
    /// <summary>Whether the run succeeded.</summary>
    public bool Succeeded => Error is null;
}
