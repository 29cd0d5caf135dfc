using System.Text;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Identity;

namespace Vellum.Storage.Tests.Support;

/// <summary>Makes well-formed entries for tests, signing signature entries with a real node key.</summary>
internal static class EntryFactory
{
    private static readonly Lazy<NodeIdentity> Node = new(() =>
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var service = ServiceIdentity.Create(new ServiceCertificateOptions { NotBefore = start, Validity = TimeSpan.FromDays(365) });
        return NodeIdentity.Create(service, new NodeCertificateOptions { Name = "test-node", NotBefore = start, Validity = TimeSpan.FromDays(30) });
    });

    public const long View = 2;

    /// <summary>The node certificate every signature entry carries, DER.</summary>
    public static byte[] NodeCertificateDer => Node.Value.Certificate.RawData;

    public static byte[] Write(long seqno, string collection = "subledger:0", string[]? tags = null, string? contents = null, long view = View) =>
        EntryCodec.EncodeWrite(
            Header(EntryKind.Write, view, seqno),
            collection,
            tags ?? [],
            Encoding.UTF8.GetBytes(contents ?? $"entry {seqno} " + new string('x', (int)(seqno * 37 % 200))));

    /// <summary>A signature entry at <paramref name="seqno"/> over <paramref name="root"/>, the root over leaves [0, seqno).</summary>
    public static byte[] Signature(long seqno, Sha256Hash root, long view = View) =>
        EntryCodec.EncodeSignature(Header(EntryKind.Signature, view, seqno), root, Node.Value.SignRoot(root), Node.Value.Certificate.RawData);

    public static EntryHeader Header(EntryKind kind, long view, long seqno) =>
        new(kind, new TransactionId(view, seqno), Sha256Hash.Of(Encoding.UTF8.GetBytes($"ce:{view}.{seqno}")), Sha256Hash.Zero);

    public static Sha256Hash Leaf(byte[] entry) => EntryCodec.ReadHeader(entry).Leaf(Sha256Hash.Of(entry));
}
