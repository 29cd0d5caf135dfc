using System.Net;
using System.Text.Json;
using Vellum.Node.Access;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary><c>/app/roles</c> on a real node: both body shapes, reading, redefining and removing custom roles.</summary>
public sealed class RoleApiTests(IssuerNode node) : IClassFixture<IssuerNode>
{
    private const string MergePatch = "application/merge-patch+json";

    [Fact]
    public async Task PutAcceptsTheSpecificationsBareArrayAndGetReturnsTheRoleByName()
    {
        using (var put = await SendAsync(HttpMethod.Put, "/app/roles", "[{\"roleName\":\"bare\",\"roleActions\":[\"/banking/accounts/post\",\"" + LedgerActions.Read + "\"],\"description\":\"ignored\"}]"))
        {
            await ApiAssert.StatusAsync(put, HttpStatusCode.OK);
            Assert.Empty(await put.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(["/banking/accounts/post", LedgerActions.Read], await ActionsAsync("bare"));
    }

    [Fact]
    public async Task PutAcceptsTheWrappedSnakeCaseBodyOfAclsGuideWithSeveralRoles()
    {
        const string Body = """{"roles":[{"role_name":"manager","role_actions":["/banking/accounts/post","/banking/accounts/get"]},{"role_name":"teller","role_actions":["/banking/accounts/get"]}]}""";
        using (var put = await SendAsync(HttpMethod.Put, "/app/roles", Body))
        {
            await ApiAssert.StatusAsync(put, HttpStatusCode.OK);
        }

        Assert.Equal(["/banking/accounts/post", "/banking/accounts/get"], await ActionsAsync("manager"));
        Assert.Equal(["/banking/accounts/get"], await ActionsAsync("teller"));
    }

    [Fact]
    public async Task PutWithOneRefusedRoleDefinesNoneOfItsRoles()
    {
        var before = await node.SettledLastSeqnoAsync();

        using (var put = await SendAsync(HttpMethod.Put, "/app/roles", "[{\"roleName\":\"half-defined\",\"roleActions\":[\"a\"]},{\"roleName\":\"Reader\",\"roleActions\":[\"a\"]}]"))
        {
            await ApiAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "BuiltInRoleImmutable");
        }

        using var read = await SendAsync(HttpMethod.Get, "/app/roles?roleName=half-defined");
        await ApiAssert.ErrorAsync(read, HttpStatusCode.NotFound, "RoleNotFound");
        Assert.Equal(before, await node.SettledLastSeqnoAsync());
    }

    [Theory]
    [InlineData("[{\"roleName\":\"\",\"roleActions\":[\"read\"]}]", "InvalidRoleName")]
    [InlineData("[{\"roleName\":\"bad\\u0001name\",\"roleActions\":[\"read\"]}]", "InvalidRoleName")]
    [InlineData("[{\"roleName\":\"Administrator \",\"roleActions\":[\"read\"]}]", "InvalidRoleName")]
    [InlineData("[{\"roleName\":\" teller\",\"roleActions\":[\"read\"]}]", "InvalidRoleName")]
    [InlineData("[{\"roleName\":\"Admin\\u200bistrator\",\"roleActions\":[\"read\"]}]", "InvalidRoleName")]
    [InlineData("[{\"roleName\":\"two\\u00a0words\",\"roleActions\":[\"read\"]}]", "InvalidRoleName")]
    [InlineData("[{\"roleName\":\"no-actions\",\"roleActions\":[]}]", "EmptyActionList")]
    [InlineData("[{\"roleName\":\"bad-action\",\"roleActions\":[\"\"]}]", "InvalidAction")]
    [InlineData("{\"roles\":[{\"role_name\":\"no-actions\",\"role_actions\":[]}]}", "EmptyActionList")]
    [InlineData("[{\"roleName\":\"shapeless\"}]", "InvalidRequestBody")]
    public async Task ARefusedRoleDefinitionIsAnsweredWithTheCodeForItsProblem(string body, string code)
    {
        var before = await node.SettledLastSeqnoAsync();

        using (var put = await SendAsync(HttpMethod.Put, "/app/roles", body))
        {
            await ApiAssert.ErrorAsync(put, HttpStatusCode.BadRequest, code);
        }

        Assert.Equal(before, await node.SettledLastSeqnoAsync());
    }

    [Fact]
    public async Task ARoleWithMoreActionsThanTheLimitIsRefusedAsTooManyActions()
    {
        var actions = string.Join(',', Enumerable.Range(0, 257).Select(i => $"\"/custom/{i}\""));
        using var put = await SendAsync(HttpMethod.Put, "/app/roles", $"[{{\"roleName\":\"crowded\",\"roleActions\":[{actions}]}}]");
        await ApiAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "TooManyActions");
    }

    [Fact]
    public async Task PatchReplacesTheActionsOfAnExistingRoleAndRefusesAnUnknownOne()
    {
        await node.DefineRoleAsync("auditor", LedgerActions.Read, LedgerActions.ReceiptsRead);

        using (var patched = await SendAsync(HttpMethod.Patch, "/app/roles", "[{\"roleName\":\"auditor\",\"roleActions\":[\"" + LedgerActions.HistoricalQuery + "\"]}]", MergePatch))
        {
            await ApiAssert.StatusAsync(patched, HttpStatusCode.OK);
        }

        Assert.Equal([LedgerActions.HistoricalQuery], await ActionsAsync("auditor"));
        using var unknown = await SendAsync(HttpMethod.Patch, "/app/roles", "[{\"roleName\":\"nobody-defined-this\",\"roleActions\":[\"a\"]}]", MergePatch);
        await ApiAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, "RoleNotFound");
    }

    [Fact]
    public async Task DeleteAnswers204AndRefusesARoleInUseOrUnknown()
    {
        await node.DefineRoleAsync("temporary", LedgerActions.Read);
        await node.SetRolesAsync("holder-of-temporary", "temporary");

        using (var inUse = await SendAsync(HttpMethod.Delete, "/app/roles?roleName=temporary"))
        {
            await ApiAssert.ErrorAsync(inUse, HttpStatusCode.Conflict, "RoleInUse");
        }

        await node.SetRolesAsync("holder-of-temporary", RoleNames.Reader);
        using (var deleted = await SendAsync(HttpMethod.Delete, "/app/roles?roleName=temporary"))
        {
            await ApiAssert.NoContentAsync(deleted);
        }

        using (var gone = await SendAsync(HttpMethod.Get, "/app/roles?roleName=temporary"))
        {
            await ApiAssert.ErrorAsync(gone, HttpStatusCode.NotFound, "RoleNotFound");
        }

        using var again = await SendAsync(HttpMethod.Delete, "/app/roles?roleName=temporary");
        await ApiAssert.ErrorAsync(again, HttpStatusCode.NotFound, "RoleNotFound");
    }

    [Theory]
    [InlineData("PUT", "Reader")]
    [InlineData("PUT", "administrator")]
    [InlineData("PATCH", "Contributor")]
    [InlineData("DELETE", "reader")]
    public async Task BuiltInRolesCannotBeRedefinedOrRemoved(string method, string name)
    {
        using var response = method == "DELETE"
            ? await SendAsync(HttpMethod.Delete, $"/app/roles?roleName={name}")
            : await SendAsync(new HttpMethod(method), "/app/roles", JsonSerializer.Serialize(new[] { new { roleName = name, roleActions = new[] { LedgerActions.Append } } }), MergePatch);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "BuiltInRoleImmutable");
        Assert.Equal(LedgerActions.ForBuiltInRole(name), await ActionsAsync(name));
    }

    [Fact]
    public async Task BuiltInRolesReadBackWithTheActionSetsOfAcl()
    {
        // Verbatim from ACL-WIRE.md §5 (CCF's set_builtin_roles_actions), not from the node's own constants.
        string[] reader =
        [
            "governance/constitution/read", "governance/members/read", "enclaves/read", "read", "historicalQuery", "receipts/read",
            "transactions/status/read", "collections/read", "subLedgerIds/read", "users/readall", "users/read", "roleDefinitions/read",
        ];
        string[] contributor = [.. reader, "append"];
        string[] administrator = [.. contributor, "users/write", "users/delete", "roleDefinitions/write", "roleDefinitions/delete", "endpoints/write", "endpoints/read"];

        Assert.Equal(reader.Select(Full), await ActionsAsync("reader"));
        Assert.Equal(contributor.Select(Full), await ActionsAsync("Contributor"));
        Assert.Equal(administrator.Select(Full), await ActionsAsync("ADMINISTRATOR"));

        static string Full(string action) => "Microsoft.ConfidentialLedger/ledger/" + action;
    }

    [Fact]
    public async Task CustomRoleGrantingAppendLetsItsHolderPostAndLosesItWhenRedefined()
    {
        await node.DefineRoleAsync("poster", LedgerActions.Append);
        using var certificate = TestCertificates.CreateEc("poster");
        await node.SetRolesAsync(TestCertificates.ColonFingerprint(certificate), "poster");
        var holder = node.CertificateClient(certificate);

        var id = await TestNode.AppendAsync(holder, "posted under a custom role");
        using (var status = await holder.GetAsync(TestNode.App($"/app/transactions/{id}/status")))
        {
            await ApiAssert.ErrorAsync(status, HttpStatusCode.Forbidden, "Forbidden");
        }

        using (var redefined = await SendAsync(HttpMethod.Patch, "/app/roles", "[{\"roleName\":\"poster\",\"roleActions\":[\"" + LedgerActions.TransactionsStatusRead + "\"]}]", MergePatch))
        {
            await ApiAssert.StatusAsync(redefined, HttpStatusCode.OK);
        }

        using (var refused = await holder.PostAsync(TestNode.App("/app/transactions"), TestNode.Json("{\"contents\":\"no longer\"}")))
        {
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.Forbidden, "Forbidden");
        }

        using var allowed = await holder.GetAsync(TestNode.App($"/app/transactions/{id}/status"));
        await ApiAssert.StatusAsync(allowed, HttpStatusCode.OK);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string mediaType = "application/json")
    {
        using var request = IssuerNode.Request(method, TestNode.App(path), json, mediaType);
        return await node.Admin.SendAsync(request);
    }

    private async Task<List<string>> ActionsAsync(string roleName)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/app/roles?roleName={roleName}");
        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        var role = Assert.Single((await TestNode.ReadJsonAsync(response)).EnumerateArray());
        Assert.Equal(RoleNames.Normalize(roleName), role.GetProperty("roleName").GetString());
        return [.. role.GetProperty("roleActions").EnumerateArray().Select(action => action.GetString()!)];
    }
}
