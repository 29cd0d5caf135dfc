namespace Vellum.Node.Access;

/// <summary>Gives a user exactly <see cref="Roles"/>, adding the user if absent. Create it with <see cref="AccessChange.SetUserRoles"/>.</summary>
public sealed record SetUserRolesChange : AccessChange
{
    internal SetUserRolesChange(UserId user, IReadOnlyList<string> roles)
    {
        User = user;
        Roles = roles;
    }

    /// <inheritdoc/>
    public override AccessChangeKind Kind => AccessChangeKind.SetUserRoles;

    /// <summary>The user; its canonical form is what the record stores.</summary>
    public UserId User { get; }

    /// <summary>The roles, in order, built-in names capitalised, without repeats.</summary>
    public IReadOnlyList<string> Roles { get; }

    /// <summary>Whether both changes set the same roles, in the same order, for the same user.</summary>
    public bool Equals(SetUserRolesChange? other) =>
        other is not null && User == other.User && Roles.SequenceEqual(other.Roles, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(User, Roles.Count);

    internal override AccessRejection? FindShapeProblem()
    {
        if (Roles.Count == 0)
        {
            return new(AccessRejectionCode.EmptyRoleList, $"User '{User.Original}' would hold no role; remove the user instead.");
        }

        if (Roles.Count > AccessLimits.MaxRolesPerUser)
        {
            return new(AccessRejectionCode.TooManyRoles, $"User '{User.Original}' would hold {Roles.Count} roles; the limit is {AccessLimits.MaxRolesPerUser}.");
        }

        foreach (var role in Roles)
        {
            var problem = RoleNames.FindProblem(role);
            if (problem is not null)
            {
                return new(AccessRejectionCode.InvalidRoleName, problem);
            }
        }

        return null;
    }
}
