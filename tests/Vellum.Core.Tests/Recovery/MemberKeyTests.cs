using System.Security.Cryptography;
using Vellum.Core.Recovery;

namespace Vellum.Core.Tests.Recovery;

public class MemberKeyTests
{
    [Fact]
    public void APlaintextEncryptedToAMemberDecryptsWithItsPrivateKey()
    {
        var key = TestMembers.Private[0];
        var plaintext = "a recovery share"u8.ToArray();

        var ciphertext = key.PublicKey.Encrypt(plaintext);

        Assert.Equal(256, ciphertext.Length);
        Assert.Equal(plaintext, key.Decrypt(ciphertext));
    }

    [Fact]
    public void EncryptingTwiceGivesDifferentCiphertextsBecauseOaepIsRandomised()
    {
        var key = TestMembers.Private[0].PublicKey;

        Assert.NotEqual(key.Encrypt([1, 2, 3]), key.Encrypt([1, 2, 3]));
    }

    [Fact]
    public void AnotherMembersKeyCannotDecrypt()
    {
        var ciphertext = TestMembers.Private[0].PublicKey.Encrypt([1, 2, 3]);

        Assert.ThrowsAny<CryptographicException>(() => TestMembers.Private[1].Decrypt(ciphertext));
    }

    [Fact]
    public void TheCiphertextIsOaepWithSha256AsStandardRsaReadsIt()
    {
        // Decrypting with the platform's RSA and the explicit padding shows the scheme is exactly
        // RSA-OAEP-SHA256, which is what openssl pkeyutl is told to use in the docs.
        var key = TestMembers.Private[0];
        using var rsa = RSA.Create();
        rsa.ImportFromPem(key.ToPem());

        Assert.Equal([9, 8, 7], rsa.Decrypt(key.PublicKey.Encrypt([9, 8, 7]), RSAEncryptionPadding.OaepSHA256));
        Assert.ThrowsAny<CryptographicException>(() => rsa.Decrypt(key.PublicKey.Encrypt([9, 8, 7]), RSAEncryptionPadding.OaepSHA1));
    }

    [Fact]
    public void KeysSurviveAPemRoundTripWithTheSameKeyId()
    {
        var original = TestMembers.Private[2];

        using var publicKey = MemberEncryptionKey.FromPem(original.PublicKey.ToPem());
        using var privateKey = MemberDecryptionKey.FromPem(original.ToPem());

        Assert.Equal(original.PublicKey.KeyId, publicKey.KeyId);
        Assert.Equal(original.PublicKey.KeyId, privateKey.PublicKey.KeyId);
        Assert.Equal([5], privateKey.Decrypt(publicKey.Encrypt([5])));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", original.PublicKey.ToPem(), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", original.ToPem(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheKeyIdIsTheSha256OfTheSubjectPublicKeyInfo()
    {
        var key = TestMembers.Private[0];
        using var rsa = RSA.Create();
        rsa.ImportFromPem(key.ToPem());

        Assert.Equal(Sha256Hash.Of(rsa.ExportSubjectPublicKeyInfo()), key.PublicKey.KeyId);
    }

    [Fact]
    public void AnOpenSslTraditionalRsaPrivateKeyIsRead()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestMembers.Private[1].ToPem());
        var pkcs1 = PemEncoding.WriteString("RSA PRIVATE KEY", rsa.ExportRSAPrivateKey());

        using var key = MemberDecryptionKey.FromPem(pkcs1);

        Assert.Equal(TestMembers.Private[1].PublicKey.KeyId, key.PublicKey.KeyId);
    }

    [Fact]
    public void AnEcKeyIsRefusedWithAMessageSayingMemberKeysAreRsa()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var publicError = Assert.Throws<FormatException>(() => MemberEncryptionKey.FromPem(ec.ExportSubjectPublicKeyInfoPem()));
        var privateError = Assert.Throws<FormatException>(() => MemberDecryptionKey.FromPem(ec.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("RSA", publicError.Message, StringComparison.Ordinal);
        Assert.Contains("RSA", privateError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyShorterThan2048BitsIsRefused()
    {
        using var rsa = RSA.Create(1024);

        var e = Assert.Throws<FormatException>(() => MemberEncryptionKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("1024 bits", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => MemberDecryptionKey.FromPem(rsa.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemberDecryptionKey.Generate(1024));
    }

    [Fact]
    public void APrivateKeyWhereAPublicKeyBelongsIsRefusedByLabel()
    {
        var e = Assert.Throws<FormatException>(() => MemberEncryptionKey.FromPem(TestMembers.Private[0].ToPem()));

        Assert.Contains("PRIVATE KEY", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APlaintextLongerThanOaepAllowsIsRefused()
    {
        var key = TestMembers.Private[0].PublicKey;

        Assert.Equal(190, key.MaxPlaintextBytes);
        Assert.Throws<ArgumentException>(() => key.Encrypt(new byte[191]));
    }

    [Fact]
    public void GeneratedKeysDefaultTo3072Bits()
    {
        using var key = MemberDecryptionKey.Generate();

        Assert.Equal(3072, key.PublicKey.KeySizeBits);
        Assert.Equal(384, key.PublicKey.Encrypt([1]).Length);
    }
}
