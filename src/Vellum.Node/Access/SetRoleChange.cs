namespace Vellum.Node.Access;

/// <summary>Makes a custom role grant exactly <see cref="Actions"/>, defining it if absent. Create it with <see cref="AccessChange.SetRole"/>.</summary>
public sealed record SetRoleChange : AccessChange
{
    internal SetRoleChange(string name, IReadOnlyList<string> actions)
    {
        Name = name;
        Actions = actions;
    }

    /// <inheritdoc/>
    public override AccessChangeKind Kind => AccessChangeKind.SetRole;

    /// <summary>The custom role's name, case-sensitive.</summary>
    public string Name { get; }

    /// <summary>The actions, in order, without repeats.</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary>Whether both changes give the same role the same actions in the same order.</summary>
    public bool Equals(SetRoleChange? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Actions.SequenceEqual(other.Actions, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), Actions.Count);

    internal override AccessRejection? FindShapeProblem()
    {
        var problem = RemoveRoleChange.FindCustomNameProblem(Name);
        if (problem is not null)
        {
            return problem;
        }

        if (Actions.Count == 0)
        {
            return new(AccessRejectionCode.EmptyActionList, $"Role '{Name}' would grant no action.");
        }

        if (Actions.Count > AccessLimits.MaxActionsPerRole)
        {
            return new(AccessRejectionCode.TooManyActions, $"Role '{Name}' would grant {Actions.Count} actions; the limit is {AccessLimits.MaxActionsPerRole}.");
        }

        foreach (var action in Actions)
        {
            var actionProblem = LedgerActions.FindProblem(action);
            if (actionProblem is not null)
            {
                return new(AccessRejectionCode.InvalidAction, $"Role '{Name}': {actionProblem}");
            }
        }

        return null;
    }
}
