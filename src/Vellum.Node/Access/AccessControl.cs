namespace Vellum.Node.Access;

/// <summary>
/// The ledger's users and roles. Built-in roles are fixed; custom roles and users change only
/// through <see cref="AccessChange"/>s, which the node records in the <c>vellum:access</c>
/// collection, the changes of one request as one <see cref="AccessRecord"/>, and replays at startup.
/// <para>Concurrency: changes (<see cref="Apply(AccessRecord)"/>, <see cref="Replay"/>) must be serialised by
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
        return ApplyAll(_snapshot.Tables.Clone(), changes);
    }

    /// <summary>Applies a record of <paramref name="change"/> alone; see <see cref="Apply(AccessRecord)"/>.</summary>
    /// <exception cref="Core.InvariantViolationException">The change does not validate.</exception>
    public void Apply(AccessChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Apply(new AccessRecord([change]));
    }

    /// <summary>
    /// Applies a record's changes at once, all or none. The caller validates them and records them
    /// in the ledger first; a record that does not validate here means those steps were skipped or
    /// raced, which is a bug.
    /// </summary>
    /// <exception cref="Core.InvariantViolationException">The record does not validate; the state is unchanged.</exception>
    public void Apply(AccessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var tables = _snapshot.Tables.Clone();
        var rejection = ApplyAll(tables, record.Changes);
        if (rejection is not null)
        {
            // Built only on failure: the message serialises the record.
            Core.Invariant.Check(false, $"an applied access record was validated first, but {record} is refused: {rejection.Code}: {rejection.Message}");
        }

        _snapshot = new AccessSnapshot(tables);
    }

    /// <summary>
    /// Rebuilds the state at startup from the recorded records in seqno order, on top of the
    /// current state (empty for a new instance). Either every record applies or the state is left
    /// as it was. The per-user action sets are computed once at the end, so replay is linear in
    /// the number of changes.
    /// </summary>
    /// <exception cref="InvalidDataException">A record does not validate, so the ledger's access records are corrupt.</exception>
    public void Replay(IEnumerable<AccessRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var tables = _snapshot.Tables.Clone();
        var index = 0;
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            var rejection = ApplyAll(tables, record.Changes);
            if (rejection is not null)
            {
                throw new InvalidDataException(
                    $"The ledger's access records are corrupt: record {index} in seqno order ({record}) does not apply to the state the earlier ones built ({rejection.Code}: {rejection.Message})");
            }

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

    // Validates each change against the state the ones before it leave and applies it to
    // tables, a private copy; at the first that does not apply it stops and says why, leaving
    // tables half changed for the caller to throw away. The one place a list of changes is checked.
    private static AccessRejection? ApplyAll(AccessTables tables, IEnumerable<AccessChange> changes)
    {
        foreach (var change in changes)
        {
            ArgumentNullException.ThrowIfNull(change, nameof(changes));
            var rejection = tables.Validate(change);
            if (rejection is not null)
            {
                return rejection;
            }

            tables.Mutate(change);
        }

        return null;
    }
}
