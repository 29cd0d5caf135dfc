namespace Vellum.Client.Wire;

/// <summary>The merge-patch body that sets a user's one role.</summary>
internal sealed record RolePatch(string AssignedRole);
