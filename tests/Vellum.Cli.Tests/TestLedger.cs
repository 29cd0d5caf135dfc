using System.Net;
using System.Text;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Identity;
using Vellum.Core.Merkle;
using Vellum.Core.Receipts;

namespace Vellum.Cli.Tests;

/// <summary>
/// A small ledger built the way a Vellum node builds one, with Core's own identities: a service
/// identity issues a node certificate, leaf 0 is zero so that leaf indices are seqnos, each later
/// leaf comes from a write set digest, derived commit evidence and the entry's claims digest, and
/// a receipt carries the proof to the current root signed by the node.
/// </summary>
internal sealed class TestLedger : IDisposable
{
    public const long View = 2;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CommitEvidenceDeriver _deriver = new(Enumerable.Repeat((byte)0x3c, 32).ToArray());
    private readonly MerkleTree _tree = new(new InMemoryMerkleNodeStore());
    private readonly Dictionary<long, (LeafComponents Leaf, IReadOnlyList<ApplicationClaim> Claims)> _entries = [];

    public TestLedger(string serviceName = ServiceCertificateOptions.DefaultCommonName)
    {
        Service = CreateService(serviceName);
        Node = NodeIdentity.Create(Service, new NodeCertificateOptions
        {
            Name = "node-1",
            DnsNames = ["ledger.example"],
            IpAddresses = [IPAddress.Loopback],
            NotBefore = Start,
            Validity = TimeSpan.FromDays(365),
        });
        _tree.Append(Sha256Hash.Zero);
    }

    public ServiceIdentity Service { get; }

    public NodeIdentity Node { get; }

    /// <summary>A service identity with the same settings as this ledger's, but its own key.</summary>
    public static ServiceIdentity CreateService(string name = ServiceCertificateOptions.DefaultCommonName) =>
        ServiceIdentity.Create(new ServiceCertificateOptions { CommonName = name, NotBefore = Start, Validity = TimeSpan.FromDays(3650) });

    /// <summary>Appends an entry and returns its transaction id.</summary>
    public TransactionId Append(string contents, IReadOnlyList<ApplicationClaim>? claims = null)
    {
        claims ??= [];
        var id = new TransactionId(View, _tree.Size);
        var leaf = new LeafComponents(Sha256Hash.Of(Encoding.UTF8.GetBytes(contents)), _deriver.Derive(id), ClaimsDigest.Compute(claims));
        _tree.Append(leaf.Leaf());
        _entries[id.Seqno] = (leaf, claims);
        return id;
    }

    /// <summary>Appends <paramref name="count"/> plain entries, so that proofs have several steps.</summary>
    public void AppendMany(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Append($"entry {_tree.Size}");
        }
    }

    /// <summary>The receipt response for <paramref name="id"/> against the current root.</summary>
    public TransactionReceipt ReceiptFor(TransactionId id)
    {
        var (leaf, claims) = _entries[id.Seqno];
        var proof = _tree.ProveInclusion(id.Seqno, _tree.Size);
        var receipt = new Receipt(leaf, proof.Steps, Node.SignRoot(_tree.Root), Node.CertificatePem, Node.NodeId);
        return new TransactionReceipt(id, receipt, claims);
    }

    /// <summary>A ledger with a few entries around one of interest, and that entry's receipt response.</summary>
    public TransactionReceipt ReceiptForAnEntryAmongOthers(IReadOnlyList<ApplicationClaim>? claims = null)
    {
        AppendMany(4);
        var id = Append("the entry of interest", claims);
        AppendMany(6);
        return ReceiptFor(id);
    }

    public void Dispose()
    {
        _deriver.Dispose();
        Node.Dispose();
        Service.Dispose();
    }
}
