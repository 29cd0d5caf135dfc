namespace Vellum.Client;

/// <summary>A role and the actions it grants (ACL's <c>roleName</c>/<c>roleActions</c>).</summary>
/// <param name="RoleName">The role's name; custom names are case-sensitive, built-in ones are not.</param>
/// <param name="RoleActions">The actions granted, such as <c>Microsoft.ConfidentialLedger/ledger/read</c>.</param>
public sealed record LedgerRole(string RoleName, IReadOnlyList<string> RoleActions);
