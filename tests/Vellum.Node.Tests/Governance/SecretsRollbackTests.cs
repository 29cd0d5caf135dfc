using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Vellum.Consensus;
using Vellum.Consensus.InMemory;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Encryption;
using Vellum.Core.Identity;
using Vellum.Node.Governance;
using Vellum.Node.Governance.Voting;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;
using Vellum.Node.Tests.Support;
using Vellum.Storage;

namespace Vellum.Node.Tests.Governance;

/// <summary>
/// The write path of one node without HTTP (a ledger, a one-node replica, the sequencer, the
/// consortium and the secret records over them), so that a rekey's record can be rolled back
/// the way consensus rolls back a deposed primary's log.
/// </summary>
public sealed class SecretsRollbackTests
{
    [Fact]
    public async Task RollingBackARekeyRecordDropsItsSecretAndItsSeqnosFallBackToTheVersionBefore()
    {
        using var folder = new TemporaryDirectory();
        var serviceSecret = RandomNumberGenerator.GetBytes(32);
        var now = DateTimeOffset.UtcNow;
        using var service = ServiceIdentity.Create(new ServiceCertificateOptions { NotBefore = now.AddMinutes(-5), Validity = TimeSpan.FromDays(1) });
        using var nodeIdentity = NodeIdentity.Create(service, new NodeCertificateOptions { Name = "rekey", NotBefore = now.AddMinutes(-5), Validity = TimeSpan.FromDays(1) });
        using var evidence = new CommitEvidenceDeriver(serviceSecret);
        using var claimSecrets = new ClaimSecretDeriver(serviceSecret);
        using var secret0 = new LedgerSecret(0, 1, RandomNumberGenerator.GetBytes(32));
        using var keyring = new LedgerKeyring([secret0]);
        await using var ledger = await Ledger.OpenAsync(new LedgerOptions { Directory = folder.Path });
        var log = new LedgerRaftLog(ledger);
        var self = new NodeId(nodeIdentity.NodeId);
        var commits = new CommitTracker(default);
        var replica = new Replica(self, ClusterConfiguration.OfVoters(self), log, ledger, new InMemoryHardStateStore(), commits, new ReplicaOptions(), TimeProvider.System, NullLogger.Instance, _ => { });
        var sequencer = new Sequencer(ledger, replica, commits, nodeIdentity, evidence, claimSecrets, new SignatureCadence(), TimeProvider.System, NullLogger.Instance, keyring);
        using var governance = new GovernanceLedger(sequencer, ledger, log);
        await using var secrets = new SecretsLedger(sequencer, ledger, log, replica, governance, keyring, serviceSecret, service.DeriveSecret(LedgerSecretChain.DistributionSecretLabel), NullLogger.Instance);
        replica.Start(peers: null);
        using var memberCertificate = TestCertificates.CreateEc("Member");
        var member = Consortium.MemberOf("the member", memberCertificate.ExportCertificatePem(), null);
        await governance.FoundAsync([member], 1, CancellationToken.None);
        var (proposalId, _) = await governance.ProposeAsync(member.Id, Encoding.UTF8.GetBytes(Rekeying.Proposal), CancellationToken.None);
        await governance.BallotAsync(member.Id, proposalId, inFavour: true, CancellationToken.None);

        var written = await secrets.CatchUpAsync(CancellationToken.None);
        Assert.NotNull(written);
        Assert.Equal(2, keyring.Count);
        Assert.Equal(1, keyring.ForSeqno(written.Value.Seqno + 1).Version);
        Assert.Equal(0, keyring.ForSeqno(written.Value.Seqno).Version);

        // Consensus is stopped first: the log is rolled back under it as a new primary's would be.
        await sequencer.DisposeAsync();
        await replica.DisposeAsync();
        log.TruncateAfter(written.Value.Seqno - 1);

        Assert.Equal(1, keyring.Count);
        Assert.Equal(0, keyring.ForSeqno(written.Value.Seqno + 1).Version);
        Assert.Single(LedgerSecretRecords.Read(ledger));
    }
}
