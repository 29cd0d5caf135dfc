using System.Net;
using System.Text.Json;
using Vellum.Node.Access;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// <c>/app/users</c> and <c>/app/ledgerUsers</c> on a real node: adding and changing users, the
/// spellings of one user id, several roles, listings and removal. Each test uses its own users.
/// </summary>
public sealed class UserApiTests(IssuerNode node) : IClassFixture<IssuerNode>
{
    private const string MergePatch = "application/merge-patch+json";

    [Fact]
    public async Task PatchAddsAUserWhoCanActAtOnceAndAnotherPatchChangesTheirRole()
    {
        using var certificate = TestCertificates.CreateEc("patched user");
        var userId = TestCertificates.ColonFingerprint(certificate);
        var user = node.CertificateClient(certificate);

        using (var added = await PatchUserAsync(userId, "{\"assignedRole\":\"Reader\"}"))
        {
            await ApiAssert.StatusAsync(added, HttpStatusCode.OK);
            var body = await TestNode.ReadJsonAsync(added);
            Assert.Equal("Reader", body.GetProperty("assignedRole").GetString());
            Assert.Equal(userId, body.GetProperty("userId").GetString());
        }

        using (var read = await user.GetAsync(TestNode.App("/app/governance/constitution")))
        {
            await ApiAssert.StatusAsync(read, HttpStatusCode.OK);
        }

        using (var refused = await user.PostAsync(TestNode.App("/app/transactions"), TestNode.Json("{\"contents\":\"x\"}")))
        {
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.Forbidden, "Forbidden");
        }

        using (var promoted = await PatchUserAsync(userId, "{\"assignedRole\":\"contributor\"}"))
        {
            Assert.Equal("Contributor", (await TestNode.ReadJsonAsync(promoted)).GetProperty("assignedRole").GetString());
        }

        await TestNode.AppendAsync(user, "written by a new contributor");
    }

    [Fact]
    public async Task EverySpellingOfACertificateUserNamesTheSameUserAndIsEchoedAsGiven()
    {
        using var certificate = TestCertificates.CreateEc("spelled user");
        var colonUpper = TestCertificates.ColonFingerprint(certificate);
        var hexLower = TestCertificates.Fingerprint(certificate);
        using (var added = await PatchUserAsync(Uri.EscapeDataString(colonUpper), "{\"assignedRole\":\"Contributor\"}"))
        {
            await ApiAssert.StatusAsync(added, HttpStatusCode.OK);
        }

        // Python sends colons raw, .NET and JavaScript as %3A; all four spellings find the user.
        foreach (var (path, echoed) in new[]
        {
            (colonUpper, colonUpper),
            (Uri.EscapeDataString(colonUpper), colonUpper),
            (hexLower, hexLower),
            (hexLower.ToUpperInvariant(), hexLower.ToUpperInvariant()),
            (colonUpper.ToLowerInvariant(), colonUpper.ToLowerInvariant()),
        })
        {
            using var single = await node.Admin.GetAsync(TestNode.App($"/app/users/{path}"));
            await ApiAssert.StatusAsync(single, HttpStatusCode.OK);
            var body = await TestNode.ReadJsonAsync(single);
            Assert.Equal(echoed, body.GetProperty("userId").GetString());
            Assert.Equal("Contributor", body.GetProperty("assignedRole").GetString());

            using var multiple = await node.Admin.GetAsync(TestNode.App($"/app/ledgerUsers/{path}"));
            var multipleBody = await TestNode.ReadJsonAsync(multiple);
            Assert.Equal(echoed, multipleBody.GetProperty("userId").GetString());
            Assert.Equal(["Contributor"], Roles(multipleBody));
        }

        var listed = await ListAsync("/app/users");
        Assert.Equal("Contributor", listed[hexLower].GetProperty("assignedRole").GetString());
        Assert.DoesNotContain(colonUpper, listed.Keys);
    }

    [Fact]
    public async Task AnObjectIdInAnyCaseNamesOneUserAndItsTokenActsAsThatUser()
    {
        const string ObjectId = "0f7a3c2e-5b1d-4e8f-9a6b-c3d2e1f0a9b8";
        using (var added = await PatchUserAsync(ObjectId.ToUpperInvariant(), "{\"assignedRole\":\"Reader\"}"))
        {
            Assert.Equal(ObjectId.ToUpperInvariant(), (await TestNode.ReadJsonAsync(added)).GetProperty("userId").GetString());
        }

        using (var read = await node.Admin.GetAsync(TestNode.App($"/app/users/{ObjectId}")))
        {
            var body = await TestNode.ReadJsonAsync(read);
            Assert.Equal(ObjectId, body.GetProperty("userId").GetString());
            Assert.Equal("Reader", body.GetProperty("assignedRole").GetString());
        }

        var user = node.TokenClient(node.Token(ObjectId));
        using (var status = await user.GetAsync(TestNode.App("/app/collections")))
        {
            await ApiAssert.StatusAsync(status, HttpStatusCode.OK);
        }

        using (var refused = await user.PostAsync(TestNode.App("/app/transactions"), TestNode.Json("{\"contents\":\"x\"}")))
        {
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.Forbidden, "Forbidden");
        }

        // A token carrying the upper-case spelling is the same user.
        using var upper = await node.TokenClient(node.Token(ObjectId.ToUpperInvariant(), ec: true)).GetAsync(TestNode.App("/app/collections"));
        await ApiAssert.StatusAsync(upper, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TokenWhoseOidIsACertificateFingerprintCannotActAsThatCertificateUser(bool colonForm)
    {
        // Certificate users and token users are different identities: an issuer, trusted for its
        // own users, must not be able to speak for a certificate by putting its digest in "oid".
        var fingerprint = colonForm ? TestCertificates.ColonFingerprint(node.Node.Admin) : TestCertificates.Fingerprint(node.Node.Admin);
        var impostor = node.TokenClient(node.Token(fingerprint));

        using var response = await impostor.GetAsync(TestNode.App("/app/users"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task LedgerUserHoldsSeveralRolesIncludingACustomOneAndGetsTheUnionOfTheirActions()
    {
        await node.DefineRoleAsync("appender", LedgerActions.Append);
        using var certificate = TestCertificates.CreateEc("several roles");
        var userId = TestCertificates.Fingerprint(certificate);
        using (var added = await PatchLedgerUserAsync(userId, "{\"assignedRoles\":[\"reader\",\"appender\"]}"))
        {
            await ApiAssert.StatusAsync(added, HttpStatusCode.OK);
            Assert.Equal(["Reader", "appender"], Roles(await TestNode.ReadJsonAsync(added)));
        }

        using (var single = await node.Admin.GetAsync(TestNode.App($"/app/ledgerUsers/{userId}")))
        {
            Assert.Equal(["Reader", "appender"], Roles(await TestNode.ReadJsonAsync(single)));
        }

        var listed = await ListAsync("/app/ledgerUsers");
        Assert.Equal(["Reader", "appender"], Roles(listed[userId]));

        var user = node.CertificateClient(certificate);
        var id = await TestNode.AppendAsync(user, "appended under a custom role", waitForCommit: true);
        using var status = await user.GetAsync(TestNode.App($"/app/transactions/{id}/status"));
        await ApiAssert.StatusAsync(status, HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListingsNameEveryUserOnceInCanonicalFormWithItsRoles()
    {
        using var certificate = TestCertificates.CreateEc("listed user");
        const string ObjectId = "AAAABBBB-0000-4000-8000-0123456789AB";
        await node.SetRolesAsync(TestCertificates.ColonFingerprint(certificate), RoleNames.Contributor);
        await node.SetRolesAsync(ObjectId, RoleNames.Reader, RoleNames.Contributor);

        var users = await ListAsync("/app/users");
        var ledgerUsers = await ListAsync("/app/ledgerUsers");

        Assert.Equal(users.Keys.Order(StringComparer.Ordinal), ledgerUsers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Administrator", users[TestCertificates.Fingerprint(node.Node.Admin)].GetProperty("assignedRole").GetString());
        Assert.Equal("Contributor", users[TestCertificates.Fingerprint(certificate)].GetProperty("assignedRole").GetString());
        Assert.Equal(["Reader", "Contributor"], Roles(ledgerUsers[ObjectId.ToLowerInvariant()]));
    }

    [Fact]
    public async Task DeleteAnswers204WithAnEmptyBodyAndTheUserLosesAccessAtOnce()
    {
        using var certificate = TestCertificates.CreateEc("deleted user");
        var userId = TestCertificates.ColonFingerprint(certificate);
        await node.SetRolesAsync(userId, RoleNames.Contributor);
        var user = node.CertificateClient(certificate);
        await TestNode.AppendAsync(user, "before removal");

        using (var deleted = await node.Admin.DeleteAsync(TestNode.App($"/app/users/{Uri.EscapeDataString(userId)}")))
        {
            await ApiAssert.NoContentAsync(deleted);
        }

        using (var refused = await user.GetAsync(TestNode.App("/app/collections")))
        {
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.Forbidden, "Forbidden");
        }

        using (var gone = await node.Admin.GetAsync(TestNode.App($"/app/users/{TestCertificates.Fingerprint(certificate)}")))
        {
            await ApiAssert.ErrorAsync(gone, HttpStatusCode.NotFound, "UserNotFound");
        }

        using var again = await node.Admin.DeleteAsync(TestNode.App($"/app/ledgerUsers/{TestCertificates.Fingerprint(certificate)}"));
        await ApiAssert.ErrorAsync(again, HttpStatusCode.NotFound, "UserNotFound");
    }

    [Fact]
    public async Task RepeatedRolesAreRecordedOnceAndTheAnswerShowsThemAsRecorded()
    {
        using (var patched = await PatchLedgerUserAsync("repeated-roles", "{\"assignedRoles\":[\"Reader\",\"reader\",\"Contributor\",\"Reader\"]}"))
        {
            await ApiAssert.StatusAsync(patched, HttpStatusCode.OK);
            Assert.Equal(["Reader", "Contributor"], Roles(await TestNode.ReadJsonAsync(patched)));
        }

        using var read = await node.Admin.GetAsync(TestNode.App("/app/ledgerUsers/repeated-roles"));
        Assert.Equal(["Reader", "Contributor"], Roles(await TestNode.ReadJsonAsync(read)));
    }

    [Theory]
    [InlineData("/app/users/twice-named", "{\"assignedRole\":\"Reader\",\"assignedRole\":\"Administrator\"}")]
    [InlineData("/app/ledgerUsers/twice-named", "{\"assignedRoles\":[\"Reader\"],\"assignedRoles\":[\"Administrator\"]}")]
    public async Task AUserChangeNamingItsRolesTwiceIsRefusedAndChangesNothing(string path, string json)
    {
        var before = await node.SettledLastSeqnoAsync();

        using (var refused = await node.Admin.PatchAsync(TestNode.App(path), TestNode.Json(json, "application/merge-patch+json")))
        {
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "InvalidRequestBody");
        }

        using var read = await node.Admin.GetAsync(TestNode.App("/app/ledgerUsers/twice-named"));
        await ApiAssert.ErrorAsync(read, HttpStatusCode.NotFound, "UserNotFound");
        Assert.Equal(before, await node.SettledLastSeqnoAsync());
    }

    [Fact]
    public async Task NewUserWithAnEmptyRoleListIsRefusedAndNotAdded()
    {
        var before = await node.SettledLastSeqnoAsync();

        using (var refused = await PatchLedgerUserAsync("no-roles-at-all", "{\"assignedRoles\":[]}"))
        {
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "EmptyRoleList");
        }

        using var read = await node.Admin.GetAsync(TestNode.App("/app/ledgerUsers/no-roles-at-all"));
        await ApiAssert.ErrorAsync(read, HttpStatusCode.NotFound, "UserNotFound");
        Assert.Equal(before, await node.SettledLastSeqnoAsync());
    }

    [Fact]
    public async Task RsaSelfSignedClientCertificateWorksAsAUser()
    {
        using var certificate = TestCertificates.CreateRsa("RSA contributor");
        await node.SetRolesAsync(TestCertificates.Fingerprint(certificate), RoleNames.Contributor);
        var user = node.CertificateClient(certificate);

        var id = await TestNode.AppendAsync(user, "signed in with RSA", waitForCommit: true);

        using var entry = await user.GetAsync(TestNode.App($"/app/transactions/{id}"));
        Assert.Equal("signed in with RSA", (await TestNode.ReadJsonAsync(entry)).GetProperty("entry").GetProperty("contents").GetString());
    }

    private Task<HttpResponseMessage> PatchUserAsync(string pathUserId, string json)
        => node.Admin.PatchAsync(TestNode.App($"/app/users/{pathUserId}"), TestNode.Json(json, MergePatch));

    private Task<HttpResponseMessage> PatchLedgerUserAsync(string pathUserId, string json)
        => node.Admin.PatchAsync(TestNode.App($"/app/ledgerUsers/{pathUserId}"), TestNode.Json(json, MergePatch));

    private async Task<Dictionary<string, JsonElement>> ListAsync(string path)
    {
        using var response = await node.Admin.GetAsync(TestNode.App(path));
        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        var users = (await TestNode.ReadJsonAsync(response)).GetProperty("ledgerUsers").EnumerateArray().ToList();
        var byId = users.ToDictionary(user => user.GetProperty("userId").GetString()!, StringComparer.Ordinal);
        Assert.Equal(users.Count, byId.Count);
        return byId;
    }

    private static List<string?> Roles(JsonElement user) => [.. user.GetProperty("assignedRoles").EnumerateArray().Select(role => role.GetString())];
}
