using Vellum.Node.Access;

namespace Vellum.Node.Tests.Access;

public class AccessControlTests
{
    private static readonly UserId Alice = UserId.Parse("6696d1bc-6012-47da-8556-ab4c747999c9");
    private static readonly UserId Bob = UserId.Parse(new string('b', 64));
    private static readonly UserId Carol = UserId.Parse("carol");

    [Theory]
    [InlineData("Reader", LedgerActions.Read, true)]
    [InlineData("Reader", LedgerActions.ReceiptsRead, true)]
    [InlineData("Reader", LedgerActions.Append, false)]
    [InlineData("Reader", LedgerActions.UsersWrite, false)]
    [InlineData("Contributor", LedgerActions.Append, true)]
    [InlineData("Contributor", LedgerActions.HistoricalQuery, true)]
    [InlineData("Contributor", LedgerActions.UsersWrite, false)]
    [InlineData("Contributor", LedgerActions.RoleDefinitionsDelete, false)]
    [InlineData("Administrator", LedgerActions.UsersWrite, true)]
    [InlineData("Administrator", LedgerActions.EndpointsWrite, true)]
    [InlineData("Administrator", LedgerActions.Append, true)]
    [InlineData("Administrator", "/banking/accounts/post", false)]
    public void EachBuiltInRoleAllowsExactlyItsActions(string role, string action, bool allowed)
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(Alice, [role]));

        Assert.Equal(allowed, access.IsAllowed(Alice, action));
    }

    [Fact]
    public void EveryActionOfABuiltInRoleIsAllowedAndNothingElse()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(Alice, [RoleNames.Administrator]));
        access.Apply(AccessChange.SetUserRoles(Bob, [RoleNames.Reader]));

        Assert.All(LedgerActions.AdministratorActions, action => Assert.True(access.IsAllowed(Alice, action)));
        Assert.All(LedgerActions.AdministratorActions, action =>
            Assert.Equal(LedgerActions.ReaderActions.Contains(action), access.IsAllowed(Bob, action)));
    }

    [Fact]
    public void IsAllowedAllocatesNothing()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetRole("manager", ["/a"]));
        access.Apply(AccessChange.SetUserRoles(Alice, ["manager", "Reader"]));
        var allowed = 0;
        for (var i = 0; i < 100; i++)
        {
            allowed += access.IsAllowed(Alice, LedgerActions.Read) ? 1 : 0;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            allowed += access.IsAllowed(Alice, "/a") ? 1 : 0;
            allowed += access.IsAllowed(Bob, LedgerActions.Read) ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1100, allowed);
    }

    [Fact]
    public void UnknownUserIsAllowedNothing()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(Alice, [RoleNames.Administrator]));

        Assert.False(access.IsAllowed(Bob, LedgerActions.Read));
        Assert.Null(access.GetUser(Bob));
    }

    [Fact]
    public void AnySpellingOfAUserFindsItsRoles()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(UserId.Parse("6696D1BC-6012-47DA-8556-AB4C747999C9"), ["contributor"]));

        Assert.True(access.IsAllowed(Alice, LedgerActions.Append));
        Assert.Equal(["Contributor"], access.GetUser(Alice));
        Assert.Equal("6696d1bc-6012-47da-8556-ab4c747999c9", Assert.Single(access.Users).User.Original);
    }

    [Fact]
    public void CustomRoleGrantsItsCustomAndBuiltInActionsAndActionsMatchExactly()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetRole("manager", ["/banking/accounts/post", LedgerActions.Append]));
        access.Apply(AccessChange.SetUserRoles(Alice, ["manager"]));

        Assert.True(access.IsAllowed(Alice, "/banking/accounts/post"));
        Assert.True(access.IsAllowed(Alice, LedgerActions.Append));
        Assert.False(access.IsAllowed(Alice, LedgerActions.Read));
        Assert.False(access.IsAllowed(Alice, "/BANKING/accounts/post"));
    }

    [Fact]
    public void UserWithSeveralRolesIsAllowedTheUnionOfTheirActions()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetRole("manager", ["/banking/accounts/post"]));
        access.Apply(AccessChange.SetRole("auditor", ["/banking/audit"]));
        access.Apply(AccessChange.SetUserRoles(Alice, ["Reader", "manager", "auditor"]));

        Assert.True(access.IsAllowed(Alice, LedgerActions.Read));
        Assert.True(access.IsAllowed(Alice, "/banking/accounts/post"));
        Assert.True(access.IsAllowed(Alice, "/banking/audit"));
        Assert.False(access.IsAllowed(Alice, LedgerActions.Append));
        Assert.Equal(["Reader", "manager", "auditor"], access.GetUser(Alice));
    }

    [Fact]
    public void ChangingARolesActionsTakesEffectForItsHoldersAtOnce()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetRole("manager", ["/a"]));
        access.Apply(AccessChange.SetUserRoles(Alice, ["manager"]));

        access.Apply(AccessChange.SetRole("manager", ["/b"]));

        Assert.False(access.IsAllowed(Alice, "/a"));
        Assert.True(access.IsAllowed(Alice, "/b"));
    }

    [Fact]
    public void CustomRoleNamesAreCaseSensitive()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetRole("manager", ["/a"]));

        Assert.NotNull(access.GetRole("manager"));
        Assert.Null(access.GetRole("Manager"));
        Assert.Equal(AccessRejectionCode.RoleNotFound, access.Validate(AccessChange.SetUserRoles(Alice, ["Manager"]))?.Code);
    }

    [Fact]
    public void AssigningAnUnknownRoleIsRejected()
    {
        var access = new AccessControl();

        var rejection = access.Validate(AccessChange.SetUserRoles(Alice, ["Reader", "ghost"]));

        Assert.Equal(AccessRejectionCode.RoleNotFound, rejection?.Code);
        Assert.Contains("ghost", rejection!.Message, StringComparison.Ordinal);
        Assert.Equal("RoleNotFound", rejection.CodeName);
    }

    [Fact]
    public void AnEmptyRoleListIsRejected() =>
        Assert.Equal(AccessRejectionCode.EmptyRoleList, new AccessControl().Validate(AccessChange.SetUserRoles(Alice, []))?.Code);

    [Theory]
    [InlineData("Reader")]
    [InlineData("administrator")]
    public void BuiltInRolesCannotBeSetOrRemoved(string name)
    {
        var access = new AccessControl();

        Assert.Equal(AccessRejectionCode.BuiltInRoleImmutable, access.Validate(AccessChange.SetRole(name, ["/x"]))?.Code);
        Assert.Equal(AccessRejectionCode.BuiltInRoleImmutable, access.Validate(AccessChange.RemoveRole(name))?.Code);
    }

    [Fact]
    public void GetRoleIncludesBuiltInRolesInAnyCase()
    {
        var access = new AccessControl();

        Assert.Equal(LedgerActions.ContributorActions, access.GetRole("contributor"));
        Assert.Null(access.GetRole("ghost"));
    }

    [Fact]
    public void RolesListsBuiltInRolesThenCustomRolesByName()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetRole("zeta", ["/z"]));
        access.Apply(AccessChange.SetRole("alpha", ["/a", "/a", "/b"]));

        Assert.Equal(["Administrator", "Contributor", "Reader", "alpha", "zeta"], access.Roles.Select(role => role.Name));
        Assert.Equal(["/a", "/b"], access.Roles[3].Actions);
        Assert.True(access.Roles[0].IsBuiltIn);
        Assert.False(access.Roles[3].IsBuiltIn);
    }

    [Fact]
    public void UsersAreListedInCanonicalIdOrder()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(Carol, ["Reader"]));
        access.Apply(AccessChange.SetUserRoles(Alice, ["Reader"]));
        access.Apply(AccessChange.SetUserRoles(Bob, ["Reader"]));

        Assert.Equal([Alice, Bob, Carol], access.Users.Select(user => user.User));
    }

    [Fact]
    public void RemovingARoleStillAssignedIsRejectedUntilNoOneHoldsIt()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetRole("manager", ["/a"]));
        access.Apply(AccessChange.SetUserRoles(Alice, ["manager", "Reader"]));

        Assert.Equal(AccessRejectionCode.RoleInUse, access.Validate(AccessChange.RemoveRole("manager"))?.Code);

        access.Apply(AccessChange.SetUserRoles(Alice, ["Reader"]));
        access.Apply(AccessChange.RemoveRole("manager"));

        Assert.Null(access.GetRole("manager"));
    }

    [Fact]
    public void RemovingAnUnknownRoleOrUserIsRejected()
    {
        var access = new AccessControl();

        Assert.Equal(AccessRejectionCode.RoleNotFound, access.Validate(AccessChange.RemoveRole("ghost"))?.Code);
        Assert.Equal(AccessRejectionCode.UserNotFound, access.Validate(AccessChange.RemoveUser(Alice))?.Code);
    }

    [Fact]
    public void RemovedUserIsAllowedNothing()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(Alice, ["Administrator"]));
        access.Apply(AccessChange.SetUserRoles(Bob, ["Contributor"]));

        access.Apply(AccessChange.RemoveUser(UserId.Parse(new string('B', 64))));

        Assert.False(access.IsAllowed(Bob, LedgerActions.Read));
        Assert.Null(access.GetUser(Bob));
    }

    [Fact]
    public void ApplyingARejectedChangeIsABug()
    {
        var access = new AccessControl();

        Assert.Throws<Core.InvariantViolationException>(() => access.Apply(AccessChange.RemoveUser(Alice)));
        Assert.Empty(access.Users);
    }

    [Fact]
    public void TheCustomRoleCountIsBounded()
    {
        var access = new AccessControl();
        access.Replay(Enumerable.Range(0, AccessLimits.MaxCustomRoles).Select(i => new AccessRecord([AccessChange.SetRole($"role{i}", ["/x"])])));

        Assert.Equal(AccessRejectionCode.TooManyCustomRoles, access.Validate(AccessChange.SetRole("one-more", ["/x"]))?.Code);
        Assert.Null(access.Validate(AccessChange.SetRole("role0", ["/y"])));
    }

    [Fact]
    public void ValidatingSeveralChangesChecksEachAgainstTheStateTheEarlierOnesLeave()
    {
        var access = new AccessControl();

        Assert.Null(access.Validate([AccessChange.SetRole("manager", ["/a"]), AccessChange.SetUserRoles(Alice, ["manager"])]));
        Assert.Equal(
            AccessRejectionCode.RoleInUse,
            access.Validate([AccessChange.SetRole("manager", ["/a"]), AccessChange.SetUserRoles(Alice, ["manager"]), AccessChange.RemoveRole("manager")])?.Code);
        Assert.Null(access.GetRole("manager"));
    }

    [Fact]
    public void ARecordAppliesItsChangesInOrderEachOnTheStateTheOnesBeforeLeave()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(Alice, [RoleNames.Administrator]));

        access.Apply(new AccessRecord([AccessChange.SetRole("teller", ["/a"]), AccessChange.SetUserRoles(Bob, ["teller"]), AccessChange.SetRole("teller", ["/b"])]));

        Assert.True(access.IsAllowed(Bob, "/b"));
        Assert.False(access.IsAllowed(Bob, "/a"));
    }

    [Fact]
    public void ARecordWhoseSecondChangeDoesNotApplyChangesNothing()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(Alice, [RoleNames.Administrator]));
        var record = new AccessRecord([AccessChange.SetRole("teller", ["/a"]), AccessChange.SetUserRoles(Bob, ["ghost"]), AccessChange.SetRole("clerk", ["/c"])]);

        var exception = Assert.Throws<Core.InvariantViolationException>(() => access.Apply(record));

        Assert.Contains("RoleNotFound", exception.Message, StringComparison.Ordinal);
        Assert.Null(access.GetRole("teller"));
        Assert.Null(access.GetRole("clerk"));
        Assert.Null(access.GetUser(Bob));
        Assert.Equal(3, access.Roles.Count);
        Assert.Single(access.Users);
    }
}
