using System.Text.Json;
using Vellum.Cli.Tests.Support;
using Vellum.Core.Identity;

namespace Vellum.Cli.Tests.Commands;

/// <summary>
/// <c>vellum audit</c> of a ledger recovered from a backup: transactions before the recovery were
/// signed by nodes of the lost service, which the <c>vellum:service</c> record's endorsement links
/// to the new one, so the ledger audits against the new service certificate and nothing else.
/// </summary>
public sealed class AuditRecoveryTests : IDisposable
{
    private readonly TempDirectory _files = new();
    private readonly ServiceIdentity _lost = AuditLedgerBuilder.Service("lost-service");
    private readonly ServiceIdentity _recovered = AuditLedgerBuilder.Service("recovered-service");
    private readonly NodeIdentity _lostNode;
    private readonly NodeIdentity _recoveredNode;

    public AuditRecoveryTests()
    {
        _lostNode = AuditLedgerBuilder.Node(_lost, "lost-node");
        _recoveredNode = AuditLedgerBuilder.Node(_recovered, "recovered-node");
    }

    private string LedgerDirectory => Path.Combine(_files.Path, "ledger");

    public void Dispose()
    {
        _lostNode.Dispose();
        _recoveredNode.Dispose();
        _lost.Dispose();
        _recovered.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task ARecoveredLedgerAuditsAgainstTheNewServiceCertificate()
    {
        var recoveredAfter = await BuildAsync(lostNodeSignsAfterRecovery: false);

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", _files.Write("new.pem", _recovered.CertificatePem), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var eras = document.RootElement.GetProperty("serviceIdentities").EnumerateArray().ToList();
        Assert.Equal(2, eras.Count);
        Assert.Equal(ServiceLineage.IdentityId(_lost.CertificatePem), eras[0].GetProperty("id").GetString());
        Assert.Equal(recoveredAfter, eras[0].GetProperty("lastSeqno").GetInt64());
        Assert.Equal(ServiceLineage.IdentityId(_recovered.CertificatePem), eras[1].GetProperty("id").GetString());
        Assert.Equal(recoveredAfter + 1, eras[1].GetProperty("firstSeqno").GetInt64());
    }

    [Fact]
    public async Task ARecoveredLedgerDoesNotAuditAgainstTheLostServiceCertificate()
    {
        await BuildAsync(lostNodeSignsAfterRecovery: false);

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", _files.Write("old.pem", _lost.CertificatePem));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the change of service identity is not in line", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANodeOfTheLostServiceSigningAfterTheRecoveryFails()
    {
        var recoveredAfter = await BuildAsync(lostNodeSignsAfterRecovery: true);

        var result = await CliResult.RunAsync("audit", LedgerDirectory, "--service-cert", _files.Write("new.pem", _recovered.CertificatePem));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"invalid: transaction 3.{recoveredAfter + 5}, ", result.Error, StringComparison.Ordinal);
        Assert.Contains("does not chain to the trusted service certificate through 0 endorsement(s)", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Builds two views of the lost service, then the recovery in view 3; returns the last seqno before it.</summary>
    private async Task<long> BuildAsync(bool lostNodeSignsAfterRecovery)
    {
        await using var builder = await AuditLedgerBuilder.CreateAsync(LedgerDirectory);
        foreach (var view in new[] { 1L, 2L })
        {
            await builder.WriteAsync(4, view);
            await builder.SignAsync(_lostNode, view);
        }

        var recoveredAfter = builder.LastSeqno;
        await builder.RecordRecoveryAsync(_lost, _recovered, view: 3);
        await builder.SignAsync(_recoveredNode, view: 3);
        await builder.WriteAsync(2, view: 3);
        await builder.SignAsync(lostNodeSignsAfterRecovery ? _lostNode : _recoveredNode, view: 3);
        return recoveredAfter;
    }
}
