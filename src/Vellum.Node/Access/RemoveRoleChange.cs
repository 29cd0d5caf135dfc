namespace Vellum.Node.Access;

/// <summary>Removes a custom role. Create it with <see cref="AccessChange.RemoveRole"/>.</summary>
public sealed record RemoveRoleChange : AccessChange
{
    internal RemoveRoleChange(string name) => Name = name;

    /// <inheritdoc/>
    public override AccessChangeKind Kind => AccessChangeKind.RemoveRole;

    /// <summary>The custom role's name, case-sensitive.</summary>
    public string Name { get; }

    /// <summary>Why <paramref name="name"/> cannot name a custom role to define or remove, or null.</summary>
    internal static AccessRejection? FindCustomNameProblem(string name)
    {
        var problem = RoleNames.FindProblem(name);
        if (problem is not null)
        {
            return new(AccessRejectionCode.InvalidRoleName, problem);
        }

        return RoleNames.IsBuiltIn(name)
            ? new(AccessRejectionCode.BuiltInRoleImmutable, $"'{name}' is a built-in role; built-in roles cannot be defined, changed or removed.")
            : null;
    }

    internal override AccessRejection? FindShapeProblem() => FindCustomNameProblem(Name);
}
