namespace Vellum.Node.Access;

/// <summary>
/// One change to users or roles. Each is written to the ledger as an ordinary write entry in the
/// reserved collection <c>vellum:access</c>, whose contents are the change's compact UTF-8 JSON
/// (<see cref="ToJson"/>); at startup the node replays them in seqno order.
/// <para>The record format, version 1. Every record is one JSON object with exactly the fields of
/// its kind; unknown fields, duplicate keys, other versions and non-canonical values are refused.</para>
/// <list type="bullet">
/// <item><c>{"v":1,"change":"setUserRoles","userId":U,"roles":[R,…]}</c>: the user holds exactly these
/// roles, in this order (added if absent). At least one role, no duplicates.</item>
/// <item><c>{"v":1,"change":"removeUser","userId":U}</c>: the user no longer exists.</item>
/// <item><c>{"v":1,"change":"setRole","role":R,"actions":[A,…]}</c>: the custom role grants exactly
/// these actions (created if absent). At least one action, no duplicates.</item>
/// <item><c>{"v":1,"change":"removeRole","role":R}</c>: the custom role no longer exists.</item>
/// </list>
/// <para><c>v</c> is the integer 1. <c>U</c> is a user id in canonical form (<see cref="UserId.Canonical"/>:
/// 64 lowercase hex digits for a certificate user, otherwise the lowercased id). <c>R</c> is a role
/// name, built-in names capitalised (<c>Administrator</c>, <c>Contributor</c>, <c>Reader</c>),
/// custom names exactly as defined. <c>A</c> is an action string. Strings use JSON escapes only
/// where JSON requires them.</para>
/// </summary>
public abstract record AccessChange
{
    private protected AccessChange()
    {
    }

    /// <summary>Which kind of change this is.</summary>
    public abstract AccessChangeKind Kind { get; }

    /// <summary>
    /// A change that gives <paramref name="user"/> exactly <paramref name="roles"/>. Built-in names
    /// are capitalised and repeated names dropped (first occurrence kept); the list must not be
    /// empty (remove the user instead), which <see cref="AccessControl.Validate(AccessChange)"/> checks.
    /// </summary>
    public static SetUserRolesChange SetUserRoles(UserId user, IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(roles);
        var distinct = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            ArgumentNullException.ThrowIfNull(role, nameof(roles));
            var name = RoleNames.Normalize(role);
            if (seen.Add(name))
            {
                distinct.Add(name);
            }
        }

        return new SetUserRolesChange(user, distinct.AsReadOnly());
    }

    /// <summary>A change that removes <paramref name="user"/>.</summary>
    public static RemoveUserChange RemoveUser(UserId user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new RemoveUserChange(user);
    }

    /// <summary>
    /// A change that makes the custom role <paramref name="name"/> grant exactly
    /// <paramref name="actions"/>. Repeated actions are dropped (first occurrence kept).
    /// </summary>
    public static SetRoleChange SetRole(string name, IEnumerable<string> actions)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(actions);
        var distinct = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            ArgumentNullException.ThrowIfNull(action, nameof(actions));
            if (seen.Add(action))
            {
                distinct.Add(action);
            }
        }

        return new SetRoleChange(name, distinct.AsReadOnly());
    }

    /// <summary>A change that removes the custom role <paramref name="name"/>.</summary>
    public static RemoveRoleChange RemoveRole(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new RemoveRoleChange(name);
    }

    /// <summary>Parses a record written by <see cref="ToJson"/>, strictly.</summary>
    /// <exception cref="AccessFormatException">The bytes are not a well-formed version 1 record; the message says why.</exception>
    public static AccessChange Parse(ReadOnlySpan<byte> utf8) => AccessChangeJson.Parse(utf8);

    /// <summary>
    /// The record as compact UTF-8 JSON, the contents of its ledger entry. Only a change whose
    /// shape is valid may be written (validate it first): a record that replay would refuse must
    /// never reach the ledger.
    /// </summary>
    /// <exception cref="Core.InvariantViolationException">The change's names or bounds are invalid.</exception>
    public byte[] ToJson()
    {
        var problem = FindShapeProblem();
        Core.Invariant.Check(problem is null, $"only a well-formed access change is serialised: {problem?.Message}");
        return AccessChangeJson.Write(this);
    }

    /// <summary>The record's JSON text, or its kind and what is wrong with it.</summary>
    public sealed override string ToString()
    {
        var problem = FindShapeProblem();
        return problem is null
            ? System.Text.Encoding.UTF8.GetString(AccessChangeJson.Write(this))
            : $"{Kind} change ({problem.Code}: {problem.Message})";
    }

    /// <summary>
    /// What is wrong with the change regardless of the ledger's state (names, bounds, built-in
    /// roles), or null. Both validation and strict parsing use it, so the two cannot disagree.
    /// </summary>
    internal abstract AccessRejection? FindShapeProblem();
}
