using Vellum.Client.Tests.Support;

namespace Vellum.Client.Tests;

/// <summary>Users and roles managed through the SDK against a real node, and what they allow.</summary>
public sealed class UsersAndRolesTests(SmallPagesNode fixture) : IClassFixture<SmallPagesNode>
{
    [Fact]
    public async Task AUserIsCreatedReadListedPromotedAndDeleted()
    {
        var admin = fixture.Node.AdminClient();
        var certificate = fixture.Node.NewUser("Round Trip");
        var userId = Users.IdOf(certificate);

        var created = await admin.CreateOrUpdateUserAsync(userId, "Reader");
        var read = await admin.GetUserAsync(userId);
        var listed = await admin.GetUsersAsync().ToListAsync();
        var promoted = await admin.CreateOrUpdateUserAsync(userId, "Contributor");
        await admin.DeleteUserAsync(userId);
        var gone = await Assert.ThrowsAsync<LedgerRequestException>(() => admin.GetUserAsync(userId));

        Assert.Equal(new LedgerUser(userId, "Reader"), created);
        Assert.Equal(created, read);
        Assert.Contains(new LedgerUser(userId, "Reader"), listed);
        Assert.Equal("Contributor", promoted.AssignedRole);
        Assert.Equal((404, "UserNotFound"), (gone.Status, gone.ErrorCode));
    }

    [Fact]
    public async Task AReaderMayReadButNotAppend()
    {
        var admin = fixture.Node.AdminClient();
        var certificate = fixture.Node.NewUser("Reader Only");
        await admin.CreateOrUpdateUserAsync(Users.IdOf(certificate), "Reader");
        var written = await admin.PostLedgerEntryAsync("for readers", waitForCommit: true);
        var reader = fixture.Node.Client(LedgerCredential.FromCertificate(certificate));

        var entry = await reader.GetLedgerEntryAsync(written.TransactionId);
        var refused = await Assert.ThrowsAsync<LedgerRequestException>(() => reader.PostLedgerEntryAsync("not allowed"));

        Assert.Equal("for readers", entry.Contents);
        Assert.Equal((403, "Forbidden"), (refused.Status, refused.ErrorCode));
    }

    [Fact]
    public async Task ACustomRoleIsDefinedAssignedWithOthersUpdatedAndRemoved()
    {
        var admin = fixture.Node.AdminClient();
        var userId = Users.IdOf(fixture.Node.NewUser("Auditor"));
        var readAction = "Microsoft.ConfidentialLedger/ledger/read";
        var receiptsAction = "Microsoft.ConfidentialLedger/ledger/receipts/read";

        await admin.CreateOrReplaceRolesAsync([new LedgerRole("auditor", [readAction])]);
        var defined = await admin.GetRoleAsync("auditor");
        var assigned = await admin.CreateOrUpdateLedgerUserAsync(userId, ["Reader", "auditor"]);
        var readBack = await admin.GetLedgerUserAsync(userId);
        var listed = await admin.GetLedgerUsersAsync().ToListAsync();
        var inUse = await Assert.ThrowsAsync<LedgerRequestException>(() => admin.DeleteRoleAsync("auditor"));
        await admin.UpdateRolesAsync([new LedgerRole("auditor", [readAction, receiptsAction])]);
        var updated = await admin.GetRoleAsync("auditor");
        await admin.DeleteUserAsync(userId);
        await admin.DeleteRoleAsync("auditor");
        var roles = await admin.GetRolesAsync();

        Assert.Equal([readAction], defined.RoleActions);
        Assert.Equal(["Reader", "auditor"], assigned.AssignedRoles);
        Assert.Equal(assigned.AssignedRoles, readBack.AssignedRoles);
        Assert.Contains(listed, user => user.UserId == userId && user.AssignedRoles.Contains("auditor"));
        Assert.Equal((409, "RoleInUse"), (inUse.Status, inUse.ErrorCode));
        Assert.Equal([readAction, receiptsAction], updated.RoleActions);
        Assert.DoesNotContain(roles, role => role.RoleName == "auditor");
        Assert.Contains(roles, role => role.RoleName == "Administrator");
    }

    [Fact]
    public async Task ABuiltInRoleCannotBeRedefined()
    {
        var admin = fixture.Node.AdminClient();

        var refused = await Assert.ThrowsAsync<LedgerRequestException>(() => admin.CreateOrReplaceRolesAsync([new LedgerRole("Reader", ["Microsoft.ConfidentialLedger/ledger/append"])]));

        Assert.Equal((400, "BuiltInRoleImmutable"), (refused.Status, refused.ErrorCode));
    }
}
