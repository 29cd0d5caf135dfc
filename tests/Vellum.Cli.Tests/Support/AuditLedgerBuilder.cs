using System.Text;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Core.Merkle;
using Vellum.Core.Recovery;
using Vellum.Storage;

namespace Vellum.Cli.Tests.Support;

/// <summary>
/// Writes ledger files in-process the way nodes do, with any service and node identities: writes,
/// signatures over a Merkle tree kept beside the ledger, and the <c>vellum:service</c> record a
/// recovered node writes. Small chunks make several files out of a few entries.
/// </summary>
internal sealed class AuditLedgerBuilder : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Ledger _ledger;
    private readonly MerkleTree _tree = new(new InMemoryMerkleNodeStore());

    private AuditLedgerBuilder(Ledger ledger)
    {
        _ledger = ledger;
        _tree.Append(Sha256Hash.Zero);
    }

    public long LastSeqno => _tree.Size - 1;

    public static async Task<AuditLedgerBuilder> CreateAsync(string directory, long maxChunkBytes = 4096) =>
        new(await Ledger.OpenAsync(new LedgerOptions { Directory = directory, MaxChunkBytes = maxChunkBytes }));

    public static ServiceIdentity Service(string name) =>
        ServiceIdentity.Create(new ServiceCertificateOptions { CommonName = name, NotBefore = Start, Validity = TimeSpan.FromDays(3650) });

    public static NodeIdentity Node(ServiceIdentity service, string name) =>
        NodeIdentity.Create(service, new NodeCertificateOptions { Name = name, NotBefore = Start, Validity = TimeSpan.FromDays(365) });

    /// <summary>Appends <paramref name="count"/> writes of about 400 bytes each.</summary>
    public async Task WriteAsync(int count, long view, string collection = "subledger:0")
    {
        for (var i = 0; i < count; i++)
        {
            await AppendWriteAsync(collection, Encoding.UTF8.GetBytes($"entry {_tree.Size} of the audit ledger " + new string('x', 280)), view);
        }
    }

    /// <summary>Appends the record of a recovery that replaced <paramref name="previous"/> by <paramref name="next"/> after the last entry.</summary>
    public Task RecordRecoveryAsync(ServiceIdentity previous, ServiceIdentity next, long view) =>
        AppendWriteAsync(ServiceChange.Collection, ServiceChange.Write(previous.CertificatePem, next.CertificatePem, next.EndorsePrevious(previous.Certificate), LastSeqno), view);

    /// <summary>Appends a signature by <paramref name="node"/> over every entry before it.</summary>
    public Task SignAsync(NodeIdentity node, long view)
    {
        var root = _tree.Root;
        return AppendAsync(EntryCodec.EncodeSignature(Header(EntryKind.Signature, view), root, node.SignRoot(root), node.Certificate.RawData));
    }

    public async ValueTask DisposeAsync() => await _ledger.DisposeAsync();

    private Task AppendWriteAsync(string collection, byte[] contents, long view) =>
        AppendAsync(EntryCodec.EncodeWrite(Header(EntryKind.Write, view), collection, [], contents));

    private async Task AppendAsync(byte[] entry)
    {
        var seqno = await _ledger.AppendAsync(entry);
        Core.Invariant.Check(seqno == _tree.Size, "the ledger gives the next seqno");
        _tree.Append(EntryCodec.ReadHeader(entry).Leaf(Sha256Hash.Of(entry)));
        await _ledger.WaitDurableAsync(seqno);
    }

    private EntryHeader Header(EntryKind kind, long view) =>
        new(kind, new TransactionId(view, _tree.Size), Sha256Hash.Of(Encoding.UTF8.GetBytes($"ce:{view}.{_tree.Size}")), Sha256Hash.Zero);
}
