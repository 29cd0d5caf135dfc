namespace Vellum.Client;

/// <summary>A user with every role it holds, as <c>/app/ledgerUsers</c> shows it (ACL's <c>LedgerUserMultipleRoles</c>).</summary>
/// <param name="UserId">A client certificate's SHA-256 fingerprint, or a token's object id.</param>
/// <param name="AssignedRoles">The user's roles, built-in or custom.</param>
public sealed record LedgerUserMultipleRoles(string UserId, IReadOnlyList<string> AssignedRoles);
