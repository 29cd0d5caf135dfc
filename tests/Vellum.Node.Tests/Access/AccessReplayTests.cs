using Vellum.Node.Access;

namespace Vellum.Node.Tests.Access;

public class AccessReplayTests
{
    private static readonly UserId Alice = UserId.Parse("6696D1BC-6012-47DA-8556-AB4C747999C9");
    private static readonly UserId Bob = UserId.Parse("5F:23:3D:26:E2:28:88:9C:06:E0:88:21:FA:C7:B2:9A:F8:81:30:6B:F9:15:41:F2:34:05:05:44:4C:AD:5A:B5");
    private static readonly UserId Carol = UserId.Parse("carol");

    private static readonly AccessChange[] History =
    [
        AccessChange.SetUserRoles(Alice, ["Administrator"]),
        AccessChange.SetRole("manager", ["/banking/accounts/post", LedgerActions.Append]),
        AccessChange.SetRole("auditor", ["/banking/audit"]),
        AccessChange.SetUserRoles(Bob, ["manager", "Reader"]),
        AccessChange.SetUserRoles(Carol, ["auditor"]),
        AccessChange.SetRole("manager", ["/banking/accounts/close"]),
        AccessChange.SetUserRoles(Carol, ["Administrator", "auditor"]),
        AccessChange.SetUserRoles(Alice, ["Contributor"]),
        AccessChange.SetUserRoles(Bob, ["Reader"]),
        AccessChange.RemoveRole("manager"),
        AccessChange.SetUserRoles(Bob, ["auditor"]),
        AccessChange.RemoveUser(Alice),
    ];

    [Fact]
    public void ReplayingRecordedChangesEqualsApplyingThemOneByOne()
    {
        var incremental = new AccessControl();
        var records = new List<byte[]>();
        foreach (var change in History)
        {
            Assert.Null(incremental.Validate(change));
            records.Add(new AccessRecord([change]).ToJson());
            incremental.Apply(change);
        }

        var replayed = new AccessControl();
        replayed.Replay(records.Select(record => AccessRecord.Parse(record)));

        Assert.Equal(Describe(incremental), Describe(replayed));
        Assert.True(replayed.IsAllowed(Bob, "/banking/audit"));
        Assert.False(replayed.IsAllowed(Bob, LedgerActions.Read));
        Assert.True(replayed.IsAllowed(Carol, LedgerActions.UsersWrite));
        Assert.False(replayed.IsAllowed(Alice, LedgerActions.Read));
        Assert.Null(replayed.GetRole("manager"));
    }

    [Fact]
    public void ReplayOfAChangeThatDoesNotApplyReportsACorruptLedgerAndChangesNothing()
    {
        var access = new AccessControl();
        AccessChange[] corrupt =
        [
            AccessChange.SetUserRoles(Alice, ["Administrator"]),
            AccessChange.SetUserRoles(Bob, ["ghost"]),
        ];

        var exception = Assert.Throws<InvalidDataException>(() => access.Replay(OneRecordEach(corrupt)));

        Assert.Contains("corrupt", exception.Message, StringComparison.Ordinal);
        Assert.Contains("record 1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("RoleNotFound", exception.Message, StringComparison.Ordinal);
        Assert.Empty(access.Users);
    }

    [Fact]
    public void ReplayAppliesARecordOfSeveralChangesAsApplyingItDoes()
    {
        AccessRecord[] records =
        [
            new([AccessChange.SetUserRoles(Alice, ["Administrator"])]),
            new([AccessChange.SetRole("manager", ["/a"]), AccessChange.SetRole("auditor", ["/b"]), AccessChange.SetUserRoles(Bob, ["manager", "auditor"])]),
            new([AccessChange.SetUserRoles(Bob, ["auditor"]), AccessChange.RemoveRole("manager")]),
        ];
        var applied = new AccessControl();
        foreach (var record in records)
        {
            applied.Apply(record);
        }

        var replayed = new AccessControl();
        replayed.Replay(records.Select(record => AccessRecord.Parse(record.ToJson())));

        Assert.Equal(Describe(applied), Describe(replayed));
        Assert.Null(replayed.GetRole("manager"));
        Assert.True(replayed.IsAllowed(Bob, "/b"));
    }

    [Fact]
    public void ReplayOfARecordWhoseLastChangeDoesNotApplyNamesTheRecordAndChangesNothing()
    {
        var access = new AccessControl();
        AccessRecord[] records =
        [
            new([AccessChange.SetUserRoles(Alice, ["Administrator"])]),
            new([AccessChange.SetRole("manager", ["/a"]), AccessChange.SetUserRoles(Bob, ["manager"]), AccessChange.RemoveRole("manager")]),
        ];

        var exception = Assert.Throws<InvalidDataException>(() => access.Replay(records));

        Assert.Contains("record 1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("RoleInUse", exception.Message, StringComparison.Ordinal);
        Assert.Empty(access.Users);
        Assert.Null(access.GetRole("manager"));
    }

    [Fact]
    public void ReplayEnforcesTheLastAdministratorRuleToo()
    {
        var access = new AccessControl();

        var exception = Assert.Throws<InvalidDataException>(() =>
            access.Replay(OneRecordEach([AccessChange.SetUserRoles(Alice, ["Administrator"]), AccessChange.RemoveUser(Alice)])));

        Assert.Contains("LastAdministrator", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadersSeeEitherTheStateBeforeOrAfterAChangeWhileChangesApply()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetUserRoles(Alice, ["Administrator"]));
        access.Apply(AccessChange.SetRole("even", ["/even"]));
        access.Apply(AccessChange.SetRole("odd", ["/odd"]));
        const int Changes = 2000;
        var failures = 0;
        var done = 0;

        var reader = Task.Run(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                // Every state has Alice as Administrator and Bob with exactly one of the two roles.
                var users = access.Users;
                var bob = access.GetUser(Bob);
                if (!access.IsAllowed(Alice, LedgerActions.UsersWrite) || (users.Count is not (1 or 2)) || (bob is not null && bob.Count != 1))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        for (var i = 0; i < Changes; i++)
        {
            access.Apply(i % 3 == 2 ? AccessChange.RemoveUser(Bob) : AccessChange.SetUserRoles(Bob, [i % 2 == 0 ? "even" : "odd"]));
        }

        Volatile.Write(ref done, 1);
        await reader;
        Assert.Equal(0, failures);
    }

    private static IEnumerable<AccessRecord> OneRecordEach(IEnumerable<AccessChange> changes) => changes.Select(change => new AccessRecord([change]));

    private static string Describe(AccessControl access) =>
        string.Join(
            '\n',
            access.Users.Select(user => $"{user.User.Original}={string.Join(',', user.Roles)}")
                .Concat(access.Roles.Select(role => $"{role.Name}:{string.Join(',', role.Actions)}"))
                .Concat(access.Users.Select(user => $"{user.User.Canonical} allowed {string.Join(',', AllActions(access).Where(action => access.IsAllowed(user.User, action)))}")));

    private static IEnumerable<string> AllActions(AccessControl access) =>
        access.Roles.SelectMany(role => role.Actions).Concat(["/banking/accounts/post", "/banking/accounts/close"]).Distinct();
}
