using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Node.Governance.Voting;
using Vellum.Node.Recovery;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Governance;

/// <summary>
/// <c>transition_service_to_open</c> on a ledger that records a recovery: only a proposal naming
/// the recovered service's certificate opens it; one naming another is refused when proposed, as
/// is any opening on a ledger never recovered. The recovery is recorded directly in <c>vellum:service</c>,
/// as a recovered node records it, so that no backup or shares are needed.
/// </summary>
public sealed class ServiceOpeningTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private X509Certificate2 _founder = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        _founder = TestCertificates.FirstMember(_node.DataDirectory);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _founder.Dispose();
    }

    [Fact]
    public async Task OpeningALedgerNeverRecoveredIsRefusedWhenProposed()
    {
        var before = _node.Node.Committed;

        var error = await RefusedAsync(OpenProposal(_node.Node.ServiceCertificatePem));

        Assert.Contains("never recovered", error, StringComparison.Ordinal);
        Assert.Equal(before, _node.Node.Committed);
        Assert.Equal("Open", await ServiceStatusAsync());
    }

    [Fact]
    public async Task OpeningARecoveredServiceUnderThePreviousIdentityIsRefusedAndUnderItsOwnOpensIt()
    {
        var previousPem = _node.Node.ServiceCertificatePem;
        var recoveredPem = NewServiceCertificatePem();
        await RecordRecoveryAsync(previousPem, recoveredPem);
        Assert.Equal("Recovering", await ServiceStatusAsync());

        var error = await RefusedAsync(OpenProposal(previousPem));
        Assert.Contains(Consortium.ServiceIdentityId(recoveredPem), error, StringComparison.Ordinal);
        Assert.Equal("Recovering", await ServiceStatusAsync());

        var right = await AcceptAsync(OpenProposal(recoveredPem));
        Assert.Equal("Accepted", right.GetProperty("state").GetString());
        Assert.False(right.TryGetProperty("failureReason", out _));
        Assert.Equal("Open", await ServiceStatusAsync());

        // Rebuilt from the ledger, as at a start or after a rollback, the decision is the same.
        _node.Node.Node.Governance.Replay();
        Assert.Equal("Accepted", (await ProposalAsync(right)).GetProperty("state").GetString());
        Assert.Equal("Open", await ServiceStatusAsync());
    }

    private async Task<string> RefusedAsync(string body)
    {
        using var proposed = await _node.Client(_founder).PostAsync("/gov/proposals", TestNode.Json(body));
        await Api.ApiAssert.ErrorAsync(proposed, HttpStatusCode.BadRequest, "ProposalInvalid");
        return await proposed.Content.ReadAsStringAsync();
    }

    private async Task RecordRecoveryAsync(string previousPem, string recoveredPem)
    {
        var node = _node.Node.Node;
        var id = await node.Sequencer.AppendAsync(ServiceRecord.Collection, [], ServiceRecord.Write(previousPem, recoveredPem, recoveredPem, node.Ledger.LastSeqno), CancellationToken.None);
        await node.Commits.WaitCommittedAsync(id.Seqno, CancellationToken.None);
    }

    private async Task<JsonElement> AcceptAsync(string body)
    {
        var member = _node.Client(_founder);
        using var proposed = await member.PostAsync("/gov/proposals", TestNode.Json(body));
        Assert.True(proposed.StatusCode == HttpStatusCode.OK, await proposed.Content.ReadAsStringAsync());
        var id = (await TestNode.ReadJsonAsync(proposed)).GetProperty("proposalId").GetString();
        using var voted = await member.PostAsync($"/gov/proposals/{id}/ballots", TestNode.Json("{\"ballot\":true}"));
        Assert.True(voted.StatusCode == HttpStatusCode.OK, await voted.Content.ReadAsStringAsync());
        return await TestNode.ReadJsonAsync(voted);
    }

    private async Task<JsonElement> ProposalAsync(JsonElement proposal)
    {
        using var response = await _node.Client(null).GetAsync($"/gov/proposals/{proposal.GetProperty("proposalId").GetString()}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await TestNode.ReadJsonAsync(response);
    }

    private async Task<string?> ServiceStatusAsync()
    {
        using var response = await _node.Client(null).GetAsync("/node/state");
        return (await TestNode.ReadJsonAsync(response)).GetProperty("serviceStatus").GetString();
    }

    private static string OpenProposal(string serviceCertificatePem) =>
        JsonSerializer.Serialize(new { actions = new[] { new { name = "transition_service_to_open", args = new { next_service_identity = serviceCertificatePem } } } });

    private static string NewServiceCertificatePem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var certificate = new CertificateRequest("CN=recovered service", key, HashAlgorithmName.SHA384).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return certificate.ExportCertificatePem();
    }
}
