using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Vellum.Consensus;
using Vellum.Consensus.InMemory;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;
using Vellum.Storage;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// The node's write path without HTTP: a ledger opened with chosen options, a one-node replica
/// and the sequencer over it, with a service and node identity made for the test.
/// </summary>
internal sealed class SequencerRig : IAsyncDisposable
{
    private static readonly byte[] ServiceSecret = RandomNumberGenerator.GetBytes(32);
    private readonly ServiceIdentity _service;
    private readonly NodeIdentity _node;
    private readonly CommitEvidenceDeriver _evidence = new(ServiceSecret);
    private readonly ClaimSecretDeriver _claimSecrets = new(ServiceSecret);

    private SequencerRig(Ledger ledger, SignatureCadence cadence)
    {
        var now = DateTimeOffset.UtcNow;
        _service = ServiceIdentity.Create(new ServiceCertificateOptions { NotBefore = now.AddMinutes(-5), Validity = TimeSpan.FromDays(1) });
        _node = NodeIdentity.Create(_service, new NodeCertificateOptions { Name = "review", NotBefore = now.AddMinutes(-5), Validity = TimeSpan.FromDays(1) });
        Ledger = ledger;
        var self = new NodeId(_node.NodeId);
        var commits = new CommitTracker(default);
        Sequencer? sequencer = null;
        _replica = new Replica(self, ClusterConfiguration.OfVoters(self), new LedgerRaftLog(ledger), ledger, new InMemoryHardStateStore(), commits, new ReplicaOptions(), TimeProvider.System, NullLogger.Instance, exception => sequencer?.Fail(exception));
        Sequencer = sequencer = new Sequencer(ledger, _replica, commits, _node, _evidence, _claimSecrets, cadence, TimeProvider.System, NullLogger.Instance);
        _replica.Start(peers: null);
    }

    private readonly Replica _replica;

    public Ledger Ledger { get; }

    public Sequencer Sequencer { get; }

    public static async Task<SequencerRig> OpenAsync(LedgerOptions options, SignatureCadence? cadence = null)
        => new(await Ledger.OpenAsync(options), cadence ?? new SignatureCadence());

    public ValueTask<TransactionId> AppendAsync(string contents, bool waitForCommit = false)
        => Sequencer.AppendAsync("subledger:0", [], System.Text.Encoding.UTF8.GetBytes(contents), waitForCommit, CancellationToken.None);

    /// <summary>The kind of every entry in the ledger, in seqno order.</summary>
    public List<EntryKind> Kinds()
        => Enumerable.Range(1, checked((int)Ledger.LastSeqno)).Select(seqno => EntryCodec.ReadHeader(Ledger.ReadEntry(seqno)).Kind).ToList();

    /// <summary>Releases the identities only: for a rig whose "process" was killed, whose ledger and sequencer are left as a kill leaves them.</summary>
    public void Abandon()
    {
        _evidence.Dispose();
        _claimSecrets.Dispose();
        _node.Dispose();
        _service.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Sequencer.DisposeAsync();
        await _replica.DisposeAsync();
        await Ledger.DisposeAsync();
        Abandon();
    }
}
