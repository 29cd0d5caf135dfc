using System.Net;
using System.Text.Json;
using Vellum.Node.Access;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary><c>GET /node/members</c> and the refusals of <c>DELETE /node/members/{nodeId}</c> on a lone founder.</summary>
public sealed class MemberApiTests : IAsyncLifetime
{
    private const string MergePatch = "application/merge-patch+json";
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ALoneFounderListsItselfToAnyoneAsTheOnlyVoterAndThePrimary()
    {
        using var response = await _node.Client(null).GetAsync("/node/members");

        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        var member = Assert.Single((await TestNode.ReadJsonAsync(response)).GetProperty("members").EnumerateArray());
        Assert.Equal(["nodeId", "role", "primary", "apiAddress", "peerAddress"], member.EnumerateObject().Select(property => property.Name));
        Assert.Equal(await NodeIdAsync(), member.GetProperty("nodeId").GetString());
        Assert.Equal("voter", member.GetProperty("role").GetString());
        Assert.True(member.GetProperty("primary").GetBoolean());
        Assert.Equal($"127.0.0.1:{_node.Node.Endpoint.Port}", member.GetProperty("apiAddress").GetString());
    }

    [Fact]
    public async Task TheOnlyVoterCannotBeRetiredInAnyCaseOfItsIdAndNothingIsWritten()
    {
        var nodeId = await NodeIdAsync();
        var committed = _node.Node.Committed;

        foreach (var id in new[] { nodeId, nodeId.ToUpperInvariant() })
        {
            using var refused = await _node.AdminClient().DeleteAsync($"/node/members/{id}");
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.Conflict, "LastVoter");
        }

        Assert.Equal(committed, _node.Node.Committed);
        Assert.False(_node.Node.IsRetired);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000%2000")]
    public async Task ANodeIdThatIsNotSixtyFourHexDigitsIsABadRequest(string nodeId)
    {
        using var response = await _node.AdminClient().DeleteAsync($"/node/members/{nodeId}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidNodeId");
    }

    [Fact]
    public async Task RetiringANodeThatIsNotAMemberIsNotFoundAndWritesNothing()
    {
        var committed = _node.Node.Committed;

        using var response = await _node.AdminClient().DeleteAsync($"/node/members/{new string('a', 64)}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NodeNotFound");
        Assert.Equal(committed, _node.Node.Committed);
    }

    [Fact]
    public async Task OnlyAnAdministratorMayRetireNotEvenACustomRoleGrantingEveryAction()
    {
        using var contributor = TestCertificates.CreateEc("contributor");
        using var custom = TestCertificates.CreateEc("custom");
        await PatchAsync($"/app/ledgerUsers/{TestCertificates.Fingerprint(contributor)}", "{\"assignedRoles\":[\"Contributor\"]}");
        var everything = JsonSerializer.Serialize(new[] { new { roleName = "operator", roleActions = LedgerActions.AdministratorActions } });
        using (var defined = await _node.AdminClient().PutAsync(TestNode.App("/app/roles"), TestNode.Json(everything)))
        {
            await ApiAssert.StatusAsync(defined, HttpStatusCode.OK);
        }

        await PatchAsync($"/app/ledgerUsers/{TestCertificates.Fingerprint(custom)}", "{\"assignedRoles\":[\"operator\"]}");
        var path = $"/node/members/{await NodeIdAsync()}";

        foreach (var certificate in new[] { contributor, custom })
        {
            using var forbidden = await _node.Client(certificate).DeleteAsync(path);
            await ApiAssert.ErrorAsync(forbidden, HttpStatusCode.Forbidden, "Forbidden");
        }

        using var anonymous = await _node.Client(null).DeleteAsync(path);
        await ApiAssert.ErrorAsync(anonymous, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    private async Task PatchAsync(string path, string json)
    {
        using var response = await _node.AdminClient().PatchAsync(TestNode.App(path), TestNode.Json(json, MergePatch));
        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
    }

    private async Task<string> NodeIdAsync()
    {
        using var state = await _node.Client(null).GetAsync("/node/state");
        return (await TestNode.ReadJsonAsync(state)).GetProperty("nodeId").GetString()!;
    }
}
