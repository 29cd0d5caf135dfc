using System.Text;
using Vellum.Core.Claims;

namespace Vellum.Core.Tests.Claims;

public class ClaimSecretDeriverTests
{
    private static readonly byte[] Secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void SecretsAreDeterministicPerTransactionAndDistinctAcrossTransactions()
    {
        using var deriver = new ClaimSecretDeriver(Secret);
        using var again = new ClaimSecretDeriver(Secret);
        var first = new byte[32];
        var same = new byte[32];
        var other = new byte[32];
        deriver.Derive(new TransactionId(1, 5), first);
        again.Derive(new TransactionId(1, 5), same);
        deriver.Derive(new TransactionId(1, 6), other);

        Assert.Equal(first, same);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void ClaimSecretsDifferFromCommitEvidenceUnderTheSameServiceSecret()
    {
        using var claims = new ClaimSecretDeriver(Secret);
        using var evidence = new CommitEvidenceDeriver(Secret);
        var id = new TransactionId(2, 15);
        var secret = new byte[32];
        claims.Derive(id, secret);

        Assert.DoesNotContain(Convert.ToHexStringLower(secret), evidence.Derive(id).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void APrivateWritesSecretUnderALedgerSecretDiffersFromAPublicWritesUnderTheSameBytes()
    {
        using var publicWrites = new ClaimSecretDeriver(Secret);
        using var privateWrites = ClaimSecretDeriver.ForLedgerSecret(Secret);
        using var again = ClaimSecretDeriver.ForLedgerSecret(Secret);
        var id = new TransactionId(3, 40);
        var (fromService, fromLedger, same) = (new byte[32], new byte[32], new byte[32]);
        publicWrites.Derive(id, fromService);
        privateWrites.Derive(id, fromLedger);
        again.Derive(id, same);

        Assert.NotEqual(fromService, fromLedger);
        Assert.Equal(fromLedger, same);
        Assert.Throws<ArgumentException>(() => ClaimSecretDeriver.ForLedgerSecret(new byte[31]));
    }

    [Fact]
    public void ShortServiceSecretIsRefused()
        => Assert.Throws<ArgumentException>(() => new ClaimSecretDeriver(new byte[31]));

    [Fact]
    public void SingleClaimsDigestFromBytesEqualsTheDigestOfTheBuiltClaim()
    {
        var key = Convert.FromBase64String("Jde/VvaIfyrjQ/B19P+UJCBwmcrgN7sERStoyHnYO0M=");
        var fromBytes = LedgerEntryClaim.ComputeSingleClaimsDigest(key, "subledger:0"u8, Encoding.UTF8.GetBytes("Hello world"));

        Assert.Equal("d08d8764437d09b2d4d07d52293cddaf40f44a3ea2176a0528819a80002df9f6", fromBytes.ToHex());
        Assert.Equal(ClaimsDigest.Compute([new LedgerEntryClaim("subledger:0", "Hello world", key)]), fromBytes);
    }
}
