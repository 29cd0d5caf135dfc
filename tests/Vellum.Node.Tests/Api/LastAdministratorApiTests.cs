using System.Net;
using Vellum.Node.Access;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary>The ledger never loses its last Administrator through the API, whichever route tries.</summary>
public sealed class LastAdministratorApiTests : IAsyncLifetime
{
    private const string MergePatch = "application/merge-patch+json";
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task TheOnlyAdministratorCannotBeRemovedOrDemotedButCanOnceAnotherExists()
    {
        var admin = _node.AdminClient();
        var first = TestCertificates.ColonFingerprint(_node.Admin);
        var lastSeqno = _node.Node.Committed;

        foreach (var refused in await AttemptsToRemoveAdministratorAsync(admin, first))
        {
            using (refused)
            {
                await ApiAssert.ErrorAsync(refused, HttpStatusCode.Conflict, "LastAdministrator");
            }
        }

        Assert.Equal(lastSeqno, _node.Node.Committed);
        using var second = TestCertificates.CreateEc("second administrator");
        using (var added = await admin.PatchAsync(TestNode.App($"/app/users/{TestCertificates.Fingerprint(second)}"), TestNode.Json("{\"assignedRole\":\"Administrator\"}", MergePatch)))
        {
            await ApiAssert.StatusAsync(added, HttpStatusCode.OK);
        }

        // With two Administrators the first may be demoted; the second is then the last one.
        using (var demoted = await admin.PatchAsync(TestNode.App($"/app/ledgerUsers/{first}"), TestNode.Json("{\"assignedRoles\":[\"Reader\"]}", MergePatch)))
        {
            await ApiAssert.StatusAsync(demoted, HttpStatusCode.OK);
        }

        var secondClient = _node.Client(second);
        foreach (var refused in await AttemptsToRemoveAdministratorAsync(secondClient, TestCertificates.Fingerprint(second)))
        {
            using (refused)
            {
                await ApiAssert.ErrorAsync(refused, HttpStatusCode.Conflict, "LastAdministrator");
            }
        }

        using (var removed = await secondClient.DeleteAsync(TestNode.App($"/app/users/{first}")))
        {
            await ApiAssert.NoContentAsync(removed);
        }

        using var formerAdmin = await admin.GetAsync(TestNode.App("/app/collections"));
        await ApiAssert.ErrorAsync(formerAdmin, HttpStatusCode.Forbidden, "Forbidden");
    }

    [Fact]
    public async Task AnAdministratorHoldingAnotherRoleTooMayDropTheOtherRole()
    {
        var admin = _node.AdminClient();
        var id = TestCertificates.Fingerprint(_node.Admin);
        using (var both = await admin.PatchAsync(TestNode.App($"/app/ledgerUsers/{id}"), TestNode.Json("{\"assignedRoles\":[\"Administrator\",\"Reader\"]}", MergePatch)))
        {
            await ApiAssert.StatusAsync(both, HttpStatusCode.OK);
        }

        using var back = await admin.PatchAsync(TestNode.App($"/app/users/{id}"), TestNode.Json("{\"assignedRole\":\"Administrator\"}", MergePatch));
        await ApiAssert.StatusAsync(back, HttpStatusCode.OK);
        Assert.Equal(RoleNames.Administrator, (await TestNode.ReadJsonAsync(back)).GetProperty("assignedRole").GetString());
    }

    private static async Task<List<HttpResponseMessage>> AttemptsToRemoveAdministratorAsync(HttpClient client, string userId) =>
    [
        await client.DeleteAsync(TestNode.App($"/app/users/{userId}")),
        await client.DeleteAsync(TestNode.App($"/app/ledgerUsers/{userId}")),
        await client.PatchAsync(TestNode.App($"/app/users/{userId}"), TestNode.Json("{\"assignedRole\":\"Contributor\"}", MergePatch)),
        await client.PatchAsync(TestNode.App($"/app/ledgerUsers/{userId}"), TestNode.Json("{\"assignedRoles\":[\"Reader\",\"Contributor\"]}", MergePatch)),
    ];
}
