using Vellum.Node.Access;

namespace Vellum.Node.Tests.Access;

public class LastAdministratorTests
{
    private static readonly UserId Admin = UserId.Parse("admin-one");
    private static readonly UserId Other = UserId.Parse("admin-two");

    [Fact]
    public void RemovingTheLastAdministratorIsRejected()
    {
        var access = WithAdministrators(Admin);
        access.Apply(AccessChange.SetUserRoles(Other, [RoleNames.Reader]));

        var rejection = access.Validate(AccessChange.RemoveUser(Admin));

        Assert.Equal(AccessRejectionCode.LastAdministrator, rejection?.Code);
        Assert.Contains("admin-one", rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DemotingTheLastAdministratorIsRejected()
    {
        var access = WithAdministrators(Admin);

        Assert.Equal(AccessRejectionCode.LastAdministrator, access.Validate(AccessChange.SetUserRoles(Admin, [RoleNames.Contributor]))?.Code);
    }

    [Fact]
    public void DemotingTheLastAdministratorToACustomRoleThatGrantsAdministratorActionsIsRejected()
    {
        var access = WithAdministrators(Admin);
        access.Apply(AccessChange.SetRole("superuser", LedgerActions.AdministratorActions));

        Assert.Equal(AccessRejectionCode.LastAdministrator, access.Validate(AccessChange.SetUserRoles(Admin, ["superuser"]))?.Code);
    }

    [Fact]
    public void KeepingAdministratorAmongOtherRolesIsAllowed()
    {
        var access = WithAdministrators(Admin);
        access.Apply(AccessChange.SetRole("manager", ["/a"]));

        Assert.Null(access.Validate(AccessChange.SetUserRoles(Admin, ["manager", "administrator"])));
    }

    [Fact]
    public void RemovingOrDemotingAnAdministratorIsAllowedWhileAnotherRemains()
    {
        var access = WithAdministrators(Admin, Other);

        Assert.Null(access.Validate(AccessChange.RemoveUser(Admin)));
        Assert.Null(access.Validate(AccessChange.SetUserRoles(Admin, [RoleNames.Reader])));

        access.Apply(AccessChange.SetUserRoles(Admin, [RoleNames.Reader]));

        Assert.Equal(AccessRejectionCode.LastAdministrator, access.Validate(AccessChange.RemoveUser(Other))?.Code);
        Assert.Null(access.Validate(AccessChange.RemoveUser(Admin)));
    }

    [Fact]
    public void ALedgerWithoutAnAdministratorCanStillBeBootstrapped()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(Other, [RoleNames.Reader]));

        Assert.Null(access.Validate(AccessChange.SetUserRoles(Other, [RoleNames.Contributor])));
        Assert.Null(access.Validate(AccessChange.RemoveUser(Other)));
    }

    private static AccessControl WithAdministrators(params UserId[] users)
    {
        var access = new AccessControl();
        foreach (var user in users)
        {
            access.Apply(AccessChange.SetUserRoles(user, [RoleNames.Administrator]));
        }

        return access;
    }
}
