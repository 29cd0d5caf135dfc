namespace Vellum.Node.Backup;

/// <summary>One file of a backup as its manifest lists it.</summary>
/// <param name="Path">The path relative to the backup folder, with <c>/</c> separators, such as <c>ledger/ledger_1-57.chunk</c>.</param>
/// <param name="Bytes">The file's length.</param>
/// <param name="Sha256">The SHA-256 of the file's bytes, 64 lowercase hex digits.</param>
public sealed record BackupFile(string Path, long Bytes, string Sha256);
