using System.Security.Cryptography;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Core.Receipts;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

public class ReadmeExampleTests
{
    /// <summary>The README's example, line for line, so that the README stays true.</summary>
    [Fact]
    public async Task TheReadmeExampleProducesAReceiptThatVerifies()
    {
        using var temporary = new TemporaryDirectory();
        var directory = temporary.Path;

        using var service = ServiceIdentity.Create(new ServiceCertificateOptions { NotBefore = DateTimeOffset.UtcNow, Validity = TimeSpan.FromDays(365) });
        using var node = NodeIdentity.Create(service, new NodeCertificateOptions { Name = "node-1", NotBefore = DateTimeOffset.UtcNow, Validity = TimeSpan.FromDays(90) });
        using var evidence = new CommitEvidenceDeriver(RandomNumberGenerator.GetBytes(32));
        await using var ledger = await Ledger.OpenAsync(new LedgerOptions { Directory = directory });

        // An application write, then the signature transaction that covers it.
        var write = new TransactionId(2, ledger.LastSeqno + 1);
        var entry = EntryCodec.EncodeWrite(new EntryHeader(EntryKind.Write, write, evidence.DeriveDigest(write), Sha256Hash.Zero), "subledger:0", ["invoice"], "Hello"u8);
        await ledger.AppendAsync(entry);
        var signed = new TransactionId(2, write.Seqno + 1);
        var root = ledger.RootAt(signed.Seqno);
        await ledger.AppendAsync(EntryCodec.EncodeSignature(new EntryHeader(EntryKind.Signature, signed, evidence.DeriveDigest(signed), Sha256Hash.Zero), root, node.SignRoot(root), node.Certificate.RawData));
        await ledger.WaitDurableAsync(signed.Seqno);   // returns only once fsynced

        // The write's receipt, verified the way ACL's verifiers do.
        var signature = ledger.FindSignatureAtOrAfter(write.Seqno + 1)!;
        var receipt = new Receipt(
            new LeafComponents(Sha256Hash.Of(ledger.ReadEntry(write.Seqno)), evidence.Derive(write).ToString(), Sha256Hash.Zero),
            ledger.ProveInclusion(write.Seqno, signature.TreeSize).Steps,
            signature.Signature,
            node.CertificatePem,
            node.NodeId);

        Assert.True(ReceiptVerifier.Verify(receipt, service.CertificatePem).IsValid);
        Assert.Contains("\"leafComponents\"", ReceiptJson.Serialize(receipt), StringComparison.Ordinal);
    }
}
