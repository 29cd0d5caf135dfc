using System.Net;
using Vellum.Core.Entries;
using Vellum.Node.Access;
using Vellum.Node.Governance;
using Vellum.Node.Tests.Support;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Tests.Api;

/// <summary>User and role changes are ledger transactions: a restarted node has every one of them.</summary>
public sealed class AccessRestartTests
{
    private const string MergePatch = "application/merge-patch+json";

    [Fact]
    public async Task UserAndRoleChangesSurviveARestartAndStillGrantWhatTheyGranted()
    {
        await using var node = await TestNode.StartAsync();
        using var writer = TestCertificates.CreateEc("restart writer");
        using var removed = TestCertificates.CreateEc("restart removed");
        const string ObjectId = "5e1f0c3a-7b2d-4c9e-8f6a-1d2c3b4a5e6f";
        var admin = node.AdminClient();
        await SendAsync(admin, HttpMethod.Put, "/app/roles", "{\"roles\":[{\"role_name\":\"writer\",\"role_actions\":[\"" + LedgerActions.Append + "\"]}]}", "application/json", HttpStatusCode.OK);
        await SendAsync(admin, HttpMethod.Put, "/app/roles", "[{\"roleName\":\"dropped\",\"roleActions\":[\"x\"]}]", "application/json", HttpStatusCode.OK);
        await SendAsync(admin, HttpMethod.Delete, "/app/roles?roleName=dropped", null, null, HttpStatusCode.NoContent);
        await SendAsync(admin, HttpMethod.Patch, $"/app/ledgerUsers/{TestCertificates.ColonFingerprint(writer)}", "{\"assignedRoles\":[\"writer\",\"Reader\"]}", MergePatch, HttpStatusCode.OK);
        await SendAsync(admin, HttpMethod.Patch, $"/app/users/{ObjectId.ToUpperInvariant()}", "{\"assignedRole\":\"Contributor\"}", MergePatch, HttpStatusCode.OK);
        await SendAsync(admin, HttpMethod.Patch, $"/app/users/{TestCertificates.Fingerprint(removed)}", "{\"assignedRole\":\"Reader\"}", MergePatch, HttpStatusCode.OK);
        await SendAsync(admin, HttpMethod.Delete, $"/app/users/{TestCertificates.Fingerprint(removed)}", null, null, HttpStatusCode.NoContent);

        await node.RestartAsync();

        admin = node.AdminClient();
        using (var users = await admin.GetAsync(TestNode.App("/app/ledgerUsers")))
        {
            var listed = (await TestNode.ReadJsonAsync(users)).GetProperty("ledgerUsers").EnumerateArray()
                .ToDictionary(user => user.GetProperty("userId").GetString()!, user => string.Join(',', user.GetProperty("assignedRoles").EnumerateArray().Select(role => role.GetString())));
            Assert.Equal(
                new Dictionary<string, string>
                {
                    [TestCertificates.Fingerprint(node.Admin)] = "Administrator",
                    [TestCertificates.Fingerprint(writer)] = "writer,Reader",
                    [ObjectId] = "Contributor",
                },
                listed);
        }

        using (var roles = await admin.GetAsync(TestNode.App("/app/roles?roleName=writer")))
        {
            var role = Assert.Single((await TestNode.ReadJsonAsync(roles)).EnumerateArray());
            Assert.Equal([LedgerActions.Append], role.GetProperty("roleActions").EnumerateArray().Select(action => action.GetString()));
        }

        using (var dropped = await admin.GetAsync(TestNode.App("/app/roles?roleName=dropped")))
        {
            await ApiAssert.ErrorAsync(dropped, HttpStatusCode.NotFound, "RoleNotFound");
        }

        await TestNode.AppendAsync(node.Client(writer), "written after restart", waitForCommit: true);
        using var refused = await node.Client(removed).GetAsync(TestNode.App("/app/collections"));
        await ApiAssert.ErrorAsync(refused, HttpStatusCode.Forbidden, "Forbidden");
    }

    [Fact]
    public async Task APutOfThreeRolesIsOneAccessRecordWhoseIdIsAnsweredAndAllThreeSurviveARestart()
    {
        await using var node = await TestNode.StartAsync();
        var recordedBefore = AccessRecords(node).Count;
        const string Body = """[{"roleName":"teller","roleActions":["/a"]},{"roleName":"manager","roleActions":["/a","/b"]},{"roleName":"auditor","roleActions":["/c"]}]""";

        string answeredId;
        using (var request = new HttpRequestMessage(HttpMethod.Put, TestNode.App("/app/roles")) { Content = TestNode.Json(Body) })
        using (var response = await node.AdminClient().SendAsync(request))
        {
            await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
            answeredId = Assert.Single(response.Headers.GetValues("x-ms-ccf-transaction-id"));
        }

        var (id, record) = Assert.Single(AccessRecords(node).Skip(recordedBefore));
        Assert.Equal(answeredId, id);
        Assert.Equal(["teller", "manager", "auditor"], record.Changes.Select(change => Assert.IsType<SetRoleChange>(change).Name));

        await node.RestartAsync();

        var admin = node.AdminClient();
        foreach (var (name, actions) in new[] { ("teller", "/a"), ("manager", "/a,/b"), ("auditor", "/c") })
        {
            using var response = await admin.GetAsync(TestNode.App($"/app/roles?roleName={name}"));
            await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
            var role = Assert.Single((await TestNode.ReadJsonAsync(response)).EnumerateArray());
            Assert.Equal(actions, string.Join(',', role.GetProperty("roleActions").EnumerateArray().Select(action => action.GetString())));
        }
    }

    // Every vellum:access record in the node's ledger, in seqno order, with its transaction id.
    private static List<(string Id, AccessRecord Record)> AccessRecords(TestNode node) =>
    [
        .. node.Node.Node.Ledger.ReadByKey(IndexKey.Collection(AccessLedger.Collection), 1, long.MaxValue, int.MaxValue).Select(entry =>
        {
            var write = EntryCodec.ReadWrite(entry);
            return (write.Header.Id.ToString(), AccessRecord.Parse(write.Contents));
        }),
    ];

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, string? json, string? mediaType, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, TestNode.App(path));
        if (json is not null)
        {
            request.Content = TestNode.Json(json, mediaType!);
        }

        using var response = await client.SendAsync(request);
        await ApiAssert.StatusAsync(response, expected);
    }
}
