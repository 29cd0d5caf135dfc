namespace Vellum.Client.Wire;

/// <summary>The body of <c>GET /ledgerIdentity/{ledgerId}</c>.</summary>
internal sealed record IdentityResponse(string? LedgerId, string? LedgerTlsCertificate);
