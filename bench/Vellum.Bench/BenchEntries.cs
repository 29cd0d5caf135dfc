using System.Text;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Storage;

namespace Vellum.Bench;

/// <summary>Pre-encoded writes and a node key to sign roots with, so timing covers storage only.</summary>
internal sealed class BenchEntries : IDisposable
{
    public const int SignatureEvery = 1000;
    private const long View = 2;
    private readonly NodeIdentity _node;

    public BenchEntries()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var service = ServiceIdentity.Create(new ServiceCertificateOptions { NotBefore = start, Validity = TimeSpan.FromDays(365) });
        ServiceCertificatePem = service.CertificatePem;
        _node = NodeIdentity.Create(service, new NodeCertificateOptions { Name = "bench", NotBefore = start, Validity = TimeSpan.FromDays(30) });
    }

    /// <summary>The certificate of the service that endorsed the signing node, PEM.</summary>
    public string ServiceCertificatePem { get; }

    /// <summary>Writes for seqnos 1..count, with every <see cref="SignatureEvery"/>th slot left null for a signature.</summary>
    public static byte[]?[] Writes(int count, int contentBytes)
    {
        var contents = Encoding.UTF8.GetBytes(new string('v', contentBytes));
        var entries = new byte[]?[count + 1];
        for (var seqno = 1; seqno <= count; seqno++)
        {
            if (seqno % SignatureEvery != 0)
            {
                entries[seqno] = EntryCodec.EncodeWrite(Header(EntryKind.Write, seqno), "subledger:0", [], contents);
            }
        }

        return entries;
    }

    public byte[] Signature(long seqno, Sha256Hash root) =>
        EntryCodec.EncodeSignature(Header(EntryKind.Signature, seqno), root, _node.SignRoot(root), _node.Certificate.RawData);

    /// <summary>Appends every entry (signing in the gaps) and waits until all are durable.</summary>
    public async Task AppendAllAsync(Ledger ledger, byte[]?[] entries)
    {
        for (var seqno = 1; seqno < entries.Length; seqno++)
        {
            await ledger.AppendAsync(entries[seqno] ?? Signature(seqno, ledger.RootAt(seqno)));
        }

        await ledger.WaitDurableAsync(entries.Length - 1);
    }

    public void Dispose() => _node.Dispose();

    private static EntryHeader Header(EntryKind kind, long seqno)
    {
        Span<byte> evidence = stackalloc byte[16];
        BitConverter.TryWriteBytes(evidence, seqno);
        return new EntryHeader(kind, new TransactionId(View, seqno), Sha256Hash.Of(evidence), Sha256Hash.Zero);
    }
}
