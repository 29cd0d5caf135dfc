namespace Vellum.Cli.Commands;

/// <summary>The ledger to audit cannot be read: a folder without chunks, a node that does not list or serve them.</summary>
internal sealed class AuditSourceException(string message) : Exception(message);
