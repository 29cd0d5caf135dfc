namespace Vellum.Node.Access;

/// <summary>A user and the roles it holds, in the order they were assigned.</summary>
/// <param name="User">The user, in canonical form (records and replay know no other spelling).</param>
/// <param name="Roles">The roles, built-in names capitalised.</param>
public sealed record UserRoles(UserId User, IReadOnlyList<string> Roles);
