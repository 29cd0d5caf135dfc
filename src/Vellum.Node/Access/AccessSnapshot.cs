using System.Collections.Frozen;

namespace Vellum.Node.Access;

/// <summary>
/// An immutable view of the access state with everything a request needs precomputed: each
/// user's granted actions as one set, the sorted user list and the role list. A snapshot is never
/// changed after construction, so readers need no lock.
/// </summary>
internal sealed class AccessSnapshot
{
    private static readonly RoleDefinition[] BuiltInRoles =
    [
        new(RoleNames.Administrator, LedgerActions.AdministratorActions),
        new(RoleNames.Contributor, LedgerActions.ContributorActions),
        new(RoleNames.Reader, LedgerActions.ReaderActions),
    ];

    private readonly Dictionary<string, Grant> _grants;

    public AccessSnapshot(AccessTables tables)
    {
        Tables = tables;
        var customSets = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        foreach (var (name, actions) in tables.CustomRoles)
        {
            customSets.Add(name, actions.ToFrozenSet(StringComparer.Ordinal));
        }

        // Users holding the same roles share one set, so the cost follows the number of distinct
        // role combinations, not the number of users.
        var combinations = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        _grants = new Dictionary<string, Grant>(tables.Users.Count, StringComparer.Ordinal);
        foreach (var (canonical, user) in tables.Users)
        {
            _grants.Add(canonical, new Grant(user.Roles, ActionsOf(user.Roles, customSets, combinations)));
        }

        Users = tables.Users.Values.OrderBy(user => user.User.Canonical, StringComparer.Ordinal).ToArray().AsReadOnly();
        Roles = BuiltInRoles
            .Concat(tables.CustomRoles.OrderBy(role => role.Key, StringComparer.Ordinal).Select(role => new RoleDefinition(role.Key, role.Value)))
            .ToArray()
            .AsReadOnly();
    }

    /// <summary>The tables this snapshot was built from; read-only from now on.</summary>
    public AccessTables Tables { get; }

    /// <summary>Every user, ordered by canonical id.</summary>
    public IReadOnlyList<UserRoles> Users { get; }

    /// <summary>Built-in roles (Administrator, Contributor, Reader), then custom roles ordered by name.</summary>
    public IReadOnlyList<RoleDefinition> Roles { get; }

    /// <summary>The roles of the user with canonical id <paramref name="canonical"/>, or null.</summary>
    public IReadOnlyList<string>? GetUser(string canonical) => _grants.TryGetValue(canonical, out var grant) ? grant.Roles : null;

    /// <summary>Whether the user holds a role granting <paramref name="action"/>; allocates nothing.</summary>
    public bool IsAllowed(string canonical, string action) =>
        _grants.TryGetValue(canonical, out var grant) && grant.Actions.Contains(action);

    private static FrozenSet<string> ActionsOf(
        IReadOnlyList<string> roles,
        Dictionary<string, FrozenSet<string>> customSets,
        Dictionary<string, FrozenSet<string>> combinations)
    {
        if (roles.Count == 1)
        {
            return SetOf(roles[0], customSets);
        }

        // Role names cannot hold control characters, so a line feed separates them unambiguously.
        var key = string.Join('\n', roles);
        if (!combinations.TryGetValue(key, out var set))
        {
            set = roles.SelectMany(role => SetOf(role, customSets)).ToFrozenSet(StringComparer.Ordinal);
            combinations.Add(key, set);
        }

        return set;
    }

    private static FrozenSet<string> SetOf(string role, Dictionary<string, FrozenSet<string>> customSets)
    {
        switch (role)
        {
            case RoleNames.Administrator:
                return LedgerActions.AdministratorSet;
            case RoleNames.Contributor:
                return LedgerActions.ContributorSet;
            case RoleNames.Reader:
                return LedgerActions.ReaderSet;
            default:
                var found = customSets.TryGetValue(role, out var set);
                Core.Invariant.Check(found, $"every role a user holds is defined, but '{role}' is not");
                return set!;
        }
    }

    private sealed record Grant(IReadOnlyList<string> Roles, FrozenSet<string> Actions);
}
