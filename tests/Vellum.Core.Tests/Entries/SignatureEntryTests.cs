using Vellum.Core.Entries;
using Vellum.Core.Tests.Identity;

namespace Vellum.Core.Tests.Entries;

public class SignatureEntryTests
{
    private static readonly EntryHeader Header = new(EntryKind.Signature, new TransactionId(1, 5), Sha256Hash.Zero, Sha256Hash.Zero);

    [Fact]
    public void EachSignatureIsCheckedUnderItsOwnCertificatesKeyWhicheverWasCheckedBefore()
    {
        var service = TestIdentities.Service();
        var first = TestIdentities.Node(service, "node-1");
        var second = TestIdentities.Node(service, "node-2");
        var root = Sha256Hash.Of("root"u8);
        var firstDer = first.Certificate.RawData;
        var secondDer = second.Certificate.RawData;

        Assert.True(new SignatureEntry(Header, root, first.SignRoot(root), firstDer).HasValidSignature());
        Assert.True(new SignatureEntry(Header, root, first.SignRoot(root), firstDer).HasValidSignature());
        Assert.False(new SignatureEntry(Header, root, second.SignRoot(root), firstDer).HasValidSignature());
        Assert.True(new SignatureEntry(Header, root, second.SignRoot(root), secondDer).HasValidSignature());
        Assert.False(new SignatureEntry(Header, root, first.SignRoot(root), secondDer).HasValidSignature());
        Assert.False(new SignatureEntry(Header, Sha256Hash.Of("other"u8), second.SignRoot(root), secondDer).HasValidSignature());
        Assert.False(new SignatureEntry(Header, root, first.SignRoot(root), [0x30, 0x03, 0x02, 0x01, 0x01]).HasValidSignature());
    }
}
