namespace Vellum.Node.Access;

/// <summary>
/// The ledger's users and roles. Built-in roles are fixed; custom roles and users change only
/// through <see cref="AccessChange"/>s, which the node records in the <c>vellum:access</c>
/// collection and replays at startup.
/// <para>Concurrency: changes (<see cref="Apply"/>, <see cref="Replay"/>) must be serialised by
/// the caller; every other member may run concurrently with a change. The state is an immutable
/// snapshot that a change replaces with one reference write, so a reader sees the state either
/// before or after a change, never half of it.</para>
/// </summary>
public sealed class AccessControl
{
    private volatile AccessSnapshot _snapshot = new(new AccessTables());

    /// <summary>Every user, ordered by canonical id, each in canonical spelling.</summary>
    public IReadOnlyList<UserRoles> Users => _snapshot.Users;

    /// <summary>Every role: the built-in ones (Administrator, Contributor, Reader), then custom ones ordered by name.</summary>
    public IReadOnlyList<RoleDefinition> Roles => _snapshot.Roles;

    /// <summary>Why <paramref name="change"/> may not apply to the current state, or null when it may.</summary>
    public AccessRejection? Validate(AccessChange change) => _snapshot.Tables.Validate(change);

    /// <summary>
    /// Why the changes, applied in order, may not apply, or null when all may. Each is checked
    /// against the state the ones before it leave; nothing is applied. Use it to accept or refuse
    /// a request that makes several changes (such as several roles in one <c>/app/roles</c> body) as a whole.
    /// </summary>
    public AccessRejection? Validate(IEnumerable<AccessChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var tables = _snapshot.Tables.Clone();
        foreach (var change in changes)
        {
            var rejection = tables.Validate(change);
            if (rejection is not null)
            {
                return rejection;
            }

            tables.Mutate(change);
        }

        return null;
    }

    /// <summary>
    /// Applies a change at once. The caller validates it and records it in the ledger first; a
    /// change that does not validate here means those steps were skipped or raced, which is a bug.
    /// </summary>
    /// <exception cref="Core.InvariantViolationException">The change does not validate.</exception>
    public void Apply(AccessChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var tables = _snapshot.Tables.Clone();
        var rejection = tables.Validate(change);
        if (rejection is not null)
        {
            // Built only on failure: the message serialises the change.
            Core.Invariant.Check(false, $"an applied access change was validated first, but {change} is refused: {rejection.Code}: {rejection.Message}");
        }

        tables.Mutate(change);
        _snapshot = new AccessSnapshot(tables);
    }

    /// <summary>
    /// Rebuilds the state at startup from the recorded changes in seqno order, on top of the
    /// current state (empty for a new instance). Either every change applies or the state is left
    /// as it was. The per-user action sets are computed once at the end, so replay is linear in
    /// the number of changes.
    /// </summary>
    /// <exception cref="InvalidDataException">A recorded change does not validate, so the ledger's access records are corrupt.</exception>
    public void Replay(IEnumerable<AccessChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var tables = _snapshot.Tables.Clone();
        var index = 0;
        foreach (var change in changes)
        {
            ArgumentNullException.ThrowIfNull(change, nameof(changes));
            var rejection = tables.Validate(change);
            if (rejection is not null)
            {
                throw new InvalidDataException(
                    $"The ledger's access records are corrupt: change {index} in seqno order ({change}) does not apply to the state the earlier ones built ({rejection.Code}: {rejection.Message})");
            }

            tables.Mutate(change);
            index++;
        }

        _snapshot = new AccessSnapshot(tables);
    }

    /// <summary>The roles <paramref name="user"/> holds, in assignment order, or null for an unknown user.</summary>
    public IReadOnlyList<string>? GetUser(UserId user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return _snapshot.GetUser(user.Canonical);
    }

    /// <summary>
    /// The actions of the role <paramref name="name"/>, or null when there is no such role.
    /// Built-in names match in any case; custom names exactly.
    /// </summary>
    public IReadOnlyList<string>? GetRole(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return LedgerActions.ForBuiltInRole(name)
            ?? (_snapshot.Tables.CustomRoles.TryGetValue(name, out var actions) ? actions : null);
    }

    /// <summary>
    /// Whether <paramref name="user"/> may perform <paramref name="action"/>: whether any of its
    /// roles, built-in or custom, grants the action (exact, case-sensitive match). An unknown user
    /// may do nothing. Runs on every request, so it only looks up precomputed sets and allocates nothing.
    /// </summary>
    public bool IsAllowed(UserId user, string action)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(action);
        return _snapshot.IsAllowed(user.Canonical, action);
    }
}
