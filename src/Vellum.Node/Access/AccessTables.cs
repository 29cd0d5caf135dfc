namespace Vellum.Node.Access;

/// <summary>
/// The users and custom roles, with the rules that decide whether a change may apply. A table
/// is mutated only before it is published in a snapshot; after that it is read-only, so
/// validation can run concurrently with readers without locks.
/// </summary>
internal sealed class AccessTables
{
    private readonly Dictionary<string, UserRoles> _users;
    private readonly Dictionary<string, IReadOnlyList<string>> _customRoles;

    // How many users hold each role (built-in and custom), for the last-Administrator and
    // role-in-use rules; a role nobody holds has no entry.
    private readonly Dictionary<string, int> _holders;

    public AccessTables()
        : this(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal))
    {
    }

    private AccessTables(
        Dictionary<string, UserRoles> users,
        Dictionary<string, IReadOnlyList<string>> customRoles,
        Dictionary<string, int> holders)
    {
        _users = users;
        _customRoles = customRoles;
        _holders = holders;
    }

    /// <summary>Users by canonical id.</summary>
    public IReadOnlyDictionary<string, UserRoles> Users => _users;

    /// <summary>Custom roles by exact name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> CustomRoles => _customRoles;

    /// <summary>A copy to apply changes to while this one stays published.</summary>
    public AccessTables Clone() => new(new(_users, _users.Comparer), new(_customRoles, _customRoles.Comparer), new(_holders, _holders.Comparer));

    /// <summary>Why <paramref name="change"/> may not apply to these tables, or null when it may.</summary>
    public AccessRejection? Validate(AccessChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.FindShapeProblem() ?? change switch
        {
            SetUserRolesChange setUser => ValidateSetUserRoles(setUser),
            RemoveUserChange removeUser => ValidateRemoveUser(removeUser),
            SetRoleChange setRole => ValidateSetRole(setRole),
            RemoveRoleChange removeRole => ValidateRemoveRole(removeRole),
            _ => throw new ArgumentException($"Unknown access change kind {change.Kind}.", nameof(change)),
        };
    }

    /// <summary>Applies a change that <see cref="Validate"/> accepted.</summary>
    public void Mutate(AccessChange change)
    {
        switch (change)
        {
            case SetUserRolesChange setUser:
                RemoveUserIfPresent(setUser.User.Canonical);
                _users.Add(setUser.User.Canonical, new UserRoles(setUser.User.ToCanonical(), setUser.Roles));
                foreach (var role in setUser.Roles)
                {
                    _holders[role] = _holders.GetValueOrDefault(role) + 1;
                }

                break;
            case RemoveUserChange removeUser:
                RemoveUserIfPresent(removeUser.User.Canonical);
                break;
            case SetRoleChange setRole:
                _customRoles[setRole.Name] = setRole.Actions;
                break;
            case RemoveRoleChange removeRole:
                _customRoles.Remove(removeRole.Name);
                break;
            default:
                Core.Invariant.Check(false, $"access change kind {change.Kind} can be applied");
                break;
        }
    }

    private AccessRejection? ValidateSetUserRoles(SetUserRolesChange change)
    {
        foreach (var role in change.Roles)
        {
            if (!RoleNames.IsBuiltIn(role) && !_customRoles.ContainsKey(role))
            {
                return new(AccessRejectionCode.RoleNotFound, $"Role '{role}' does not exist; define it before assigning it.");
            }
        }

        return change.Roles.Contains(RoleNames.Administrator, StringComparer.Ordinal)
            ? null
            : CheckNotLastAdministrator(change.User, "demoted");
    }

    private AccessRejection? ValidateRemoveUser(RemoveUserChange change) =>
        _users.ContainsKey(change.User.Canonical)
            ? CheckNotLastAdministrator(change.User, "removed")
            : new(AccessRejectionCode.UserNotFound, $"User '{change.User.Original}' does not exist.");

    private AccessRejection? ValidateSetRole(SetRoleChange change) =>
        !_customRoles.ContainsKey(change.Name) && _customRoles.Count >= AccessLimits.MaxCustomRoles
            ? new(AccessRejectionCode.TooManyCustomRoles, $"Defining role '{change.Name}' would make more than {AccessLimits.MaxCustomRoles} custom roles, the limit (counting the roles before it in the same request).")
            : null;

    private AccessRejection? ValidateRemoveRole(RemoveRoleChange change)
    {
        if (!_customRoles.ContainsKey(change.Name))
        {
            return new(AccessRejectionCode.RoleNotFound, $"Role '{change.Name}' does not exist.");
        }

        var holders = _holders.GetValueOrDefault(change.Name);
        return holders == 0
            ? null
            : new(AccessRejectionCode.RoleInUse, $"Role '{change.Name}' is still assigned to {holders} user(s); change their roles first.");
    }

    // Refuses a change that would leave the ledger with no Administrator when it had one: the
    // ledger could then never manage users again. A ledger that never had one (before its
    // initial principals are recorded) is not protected, or it could not be bootstrapped.
    private AccessRejection? CheckNotLastAdministrator(UserId user, string verb)
    {
        var isAdministrator = _users.TryGetValue(user.Canonical, out var current)
            && current.Roles.Contains(RoleNames.Administrator, StringComparer.Ordinal);
        return isAdministrator && _holders.GetValueOrDefault(RoleNames.Administrator) == 1
            ? new(AccessRejectionCode.LastAdministrator, $"User '{user.Original}' is the only Administrator and cannot be {verb}; make another user an Administrator first.")
            : null;
    }

    private void RemoveUserIfPresent(string canonical)
    {
        if (!_users.Remove(canonical, out var previous))
        {
            return;
        }

        foreach (var role in previous.Roles)
        {
            var remaining = _holders[role] - 1;
            Core.Invariant.Check(remaining >= 0, "a role's holder count never goes below zero");
            if (remaining == 0)
            {
                _holders.Remove(role);
            }
            else
            {
                _holders[role] = remaining;
            }
        }
    }
}
