namespace Vellum.Cli.Commands;

/// <summary>What <c>vellum audit</c> was asked to do.</summary>
/// <param name="Source">The folder or the node's address.</param>
/// <param name="ServicePem">The trusted service certificate.</param>
/// <param name="CertPath">For a node: the caller's certificate file.</param>
/// <param name="KeyPath">For a node: the caller's key file.</param>
/// <param name="Json">Whether to print JSON.</param>
internal sealed record AuditRequest(string Source, string ServicePem, string? CertPath, string? KeyPath, bool Json);
