namespace Vellum.Client.Wire;

/// <summary>One page of <c>GET /app/ledgerUsers</c>.</summary>
internal sealed record LedgerUsersPage(IReadOnlyList<LedgerUserMultipleRoles>? LedgerUsers, string? NextLink);
