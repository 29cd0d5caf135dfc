namespace Vellum.Client.Wire;

/// <summary>The merge-patch body that sets a user's roles.</summary>
internal sealed record RolesPatch(IReadOnlyList<string> AssignedRoles);
