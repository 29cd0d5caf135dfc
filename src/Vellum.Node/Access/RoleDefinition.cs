namespace Vellum.Node.Access;

/// <summary>A role and the actions it grants, as <c>/app/roles</c> reads and writes them.</summary>
/// <param name="Name">The role's name: built-in names capitalised, custom names as defined.</param>
/// <param name="Actions">The actions the role grants, in order.</param>
public sealed record RoleDefinition(string Name, IReadOnlyList<string> Actions)
{
    /// <summary>Whether this is one of the built-in roles, which cannot be changed or removed.</summary>
    public bool IsBuiltIn => RoleNames.IsBuiltIn(Name);
}
