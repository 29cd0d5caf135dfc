namespace Vellum.Node.Access;

/// <summary>Removes a user. Create it with <see cref="AccessChange.RemoveUser"/>.</summary>
public sealed record RemoveUserChange : AccessChange
{
    internal RemoveUserChange(UserId user) => User = user;

    /// <inheritdoc/>
    public override AccessChangeKind Kind => AccessChangeKind.RemoveUser;

    /// <summary>The user; its canonical form is what the record stores.</summary>
    public UserId User { get; }

    internal override AccessRejection? FindShapeProblem() => null;
}
