namespace Vellum.Node.Backup;

/// <summary>What one backup run did.</summary>
/// <param name="Manifest">The backup's manifest after the run.</param>
/// <param name="CopiedFiles">How many files this run copied; the others were already in the backup.</param>
/// <param name="CopiedBytes">How many bytes this run copied.</param>
/// <param name="Repaired">The chunks (paths in the backup) the manifest listed whose copy was missing or damaged, and which this run copied again.</param>
public sealed record BackupResult(BackupManifest Manifest, int CopiedFiles, long CopiedBytes, IReadOnlyList<string> Repaired);
