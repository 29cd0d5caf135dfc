namespace Vellum.Node.Backup;

/// <summary>The outcome of checking a backup: valid with its manifest, or invalid with the first reason found.</summary>
/// <param name="Reason">Why the backup is invalid, in one sentence; null when it is valid.</param>
/// <param name="Manifest">The backup's manifest, when it could be read.</param>
/// <param name="Chunks">How many chunk files were verified.</param>
/// <param name="Bytes">How many bytes were rehashed.</param>
public sealed record BackupVerification(string? Reason, BackupManifest? Manifest, int Chunks, long Bytes)
{
    /// <summary>True when every check passed.</summary>
    public bool IsValid => Reason is null;
}
