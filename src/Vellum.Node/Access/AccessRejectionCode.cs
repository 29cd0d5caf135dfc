namespace Vellum.Node.Access;

/// <summary>Why an access change was refused; the name is meant for the <c>error.code</c> of an HTTP response.</summary>
public enum AccessRejectionCode
{
    /// <summary>A role name is empty, too long or contains control characters.</summary>
    InvalidRoleName,

    /// <summary>An action is empty, too long or contains control characters.</summary>
    InvalidAction,

    /// <summary>A user would hold no role; remove the user instead.</summary>
    EmptyRoleList,

    /// <summary>A user would hold more than <see cref="AccessLimits.MaxRolesPerUser"/> roles.</summary>
    TooManyRoles,

    /// <summary>A custom role would grant no action.</summary>
    EmptyActionList,

    /// <summary>A custom role would grant more than <see cref="AccessLimits.MaxActionsPerRole"/> actions.</summary>
    TooManyActions,

    /// <summary>The ledger would define more than <see cref="AccessLimits.MaxCustomRoles"/> custom roles.</summary>
    TooManyCustomRoles,

    /// <summary>A role named by the change does not exist.</summary>
    RoleNotFound,

    /// <summary>The change would define or remove a built-in role.</summary>
    BuiltInRoleImmutable,

    /// <summary>A custom role to remove is still assigned to a user.</summary>
    RoleInUse,

    /// <summary>The user to remove does not exist.</summary>
    UserNotFound,

    /// <summary>The change would take Administrator away from the only user who holds it.</summary>
    LastAdministrator,
}
