namespace Vellum.Client;

/// <summary>A user with one role, as <c>/app/users</c> shows it (ACL's <c>LedgerUser</c>).</summary>
/// <param name="UserId">A client certificate's SHA-256 fingerprint, or a token's object id.</param>
/// <param name="AssignedRole">The user's role, such as <c>Reader</c>, <c>Contributor</c> or <c>Administrator</c>.</param>
public sealed record LedgerUser(string UserId, string AssignedRole);
