namespace Vellum.Client.Wire;

/// <summary>One page of <c>GET /app/users</c>.</summary>
internal sealed record UsersPage(IReadOnlyList<LedgerUser>? LedgerUsers, string? NextLink);
