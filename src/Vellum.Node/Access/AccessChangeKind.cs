namespace Vellum.Node.Access;

/// <summary>The kinds of <see cref="AccessChange"/>.</summary>
public enum AccessChangeKind
{
    /// <summary>Adds a user or replaces all of a user's roles (<see cref="SetUserRolesChange"/>).</summary>
    SetUserRoles,

    /// <summary>Removes a user (<see cref="RemoveUserChange"/>).</summary>
    RemoveUser,

    /// <summary>Defines a custom role or replaces its actions (<see cref="SetRoleChange"/>).</summary>
    SetRole,

    /// <summary>Removes a custom role (<see cref="RemoveRoleChange"/>).</summary>
    RemoveRole,
}
