namespace Vellum.Node.Access;

/// <summary>
/// One change to users or roles. The changes of one request are written to the ledger together,
/// as one <see cref="AccessRecord"/> in the reserved collection <c>vellum:access</c>, whose
/// documentation gives the format.
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

    /// <summary>The JSON text of a record of this change alone, or its kind and what is wrong with it.</summary>
    public sealed override string ToString()
    {
        var problem = FindShapeProblem();
        return problem is null
            ? System.Text.Encoding.UTF8.GetString(AccessChangeJson.Write([this]))
            : $"{Kind} change ({problem.Code}: {problem.Message})";
    }

    /// <summary>
    /// What is wrong with the change regardless of the ledger's state (names, bounds, built-in
    /// roles), or null. Both validation and strict parsing use it, so the two cannot disagree.
    /// </summary>
    internal abstract AccessRejection? FindShapeProblem();
}
