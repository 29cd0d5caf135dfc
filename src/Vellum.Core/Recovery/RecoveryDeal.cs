using System.Security.Cryptography;

namespace Vellum.Core.Recovery;

/// <summary>
/// One dealing of recovery shares, the CCF way: a fresh random 256-bit wrapping key encrypts the
/// ledger secret with AES-256-GCM (<see cref="EncryptedLedgerSecret"/>, stored in public) and is
/// itself split with Shamir sharing, one share per member, each encrypted to that member's key
/// (<see cref="EncryptedRecoveryShare"/>). Any <c>t</c> members together recover the secret;
/// fewer learn nothing about it. Deal again whenever the members, the threshold or the secret
/// change: a new deal has a new wrapping key and a new <see cref="Recovery.DealId"/>.
/// </summary>
public sealed class RecoveryDeal
{
    private RecoveryDeal(EncryptedLedgerSecret encryptedSecret, IReadOnlyList<EncryptedRecoveryShare> shares)
    {
        EncryptedSecret = encryptedSecret;
        Shares = shares;
    }

    /// <summary>The ledger secret encrypted under the deal's wrapping key.</summary>
    public EncryptedLedgerSecret EncryptedSecret { get; }

    /// <summary>One share per member, in the order the members were given; the share of member <c>i</c> has x = i + 1.</summary>
    public IReadOnlyList<EncryptedRecoveryShare> Shares { get; }

    /// <summary>The deal's id, shared by its encrypted secret and its shares.</summary>
    public DealId DealId => EncryptedSecret.DealId;

    /// <summary>
    /// Deals <paramref name="ledgerSecret"/> to <paramref name="members"/> so that any
    /// <paramref name="threshold"/> of them can recover it.
    /// </summary>
    /// <param name="ledgerSecret">The secret to protect, <see cref="EncryptedLedgerSecret.LedgerSecretBytes"/> bytes.</param>
    /// <param name="members">The members' public encryption keys, 1 to 255 distinct keys.</param>
    /// <param name="threshold">t, from 1 to the number of members.</param>
    /// <param name="fill">The source of the wrapping key, the deal id, the nonce and the sharing's coefficients; <see cref="RandomNumberGenerator.Fill"/> in production.</param>
    /// <exception cref="ArgumentException">The secret has the wrong length, or a key is given twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The counts break 1 ≤ t ≤ n ≤ 255.</exception>
    public static RecoveryDeal Create(ReadOnlySpan<byte> ledgerSecret, IReadOnlyList<MemberEncryptionKey> members, int threshold, RandomFill fill)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(fill);
        if (ledgerSecret.Length != EncryptedLedgerSecret.LedgerSecretBytes)
        {
            throw new ArgumentException($"A ledger secret is {EncryptedLedgerSecret.LedgerSecretBytes} bytes, not {ledgerSecret.Length}.", nameof(ledgerSecret));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(members.Count, threshold, nameof(members));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(members.Count, ShamirSecretSharing.MaxShares, nameof(members));
        RequireDistinct(members);

        Span<byte> dealIdBytes = stackalloc byte[DealId.Size];
        fill(dealIdBytes);
        var dealId = new DealId(dealIdBytes);
        var wrappingKey = new byte[RecoveryShare.WrappingKeyBytes];
        IReadOnlyList<SecretShare> split = [];
        try
        {
            fill(wrappingKey);
            var encryptedSecret = EncryptedLedgerSecret.Seal(ledgerSecret, wrappingKey, dealId, (byte)threshold, (byte)members.Count, fill);
            split = ShamirSecretSharing.Split(wrappingKey, members.Count, threshold, fill);
            var shares = new EncryptedRecoveryShare[members.Count];
            for (var i = 0; i < members.Count; i++)
            {
                var share = new RecoveryShare(dealId, (byte)threshold, split[i].X, split[i].Y);
                shares[i] = EncryptedRecoveryShare.Encrypt(share, members[i]);
                share.Clear();
            }

            return new RecoveryDeal(encryptedSecret, shares);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrappingKey);
            foreach (var share in split)
            {
                share.Clear();
            }
        }
    }

    /// <summary>
    /// Recovers the ledger secret from members' decrypted shares. All shares given are used, so
    /// every one of them must be right, not only <c>t</c> of them.
    /// </summary>
    /// <exception cref="RecoveryException">
    /// <see cref="RecoveryFailure.ShareFromAnotherDeal"/>, <see cref="RecoveryFailure.DuplicateShare"/>
    /// or <see cref="RecoveryFailure.TooFewShares"/> before any decryption is tried;
    /// <see cref="RecoveryFailure.SecretDidNotDecrypt"/> when the shares combine to a key that
    /// fails the AES-GCM tag.
    /// </exception>
    public static byte[] Recover(EncryptedLedgerSecret encryptedSecret, IReadOnlyList<RecoveryShare> shares)
    {
        ArgumentNullException.ThrowIfNull(encryptedSecret);
        ArgumentNullException.ThrowIfNull(shares);
        RequireUsableShares(encryptedSecret, shares);

        var copies = shares.Select(s => new SecretShare(s.X, s.Y)).ToList();
        var wrappingKey = ShamirSecretSharing.Combine(copies);
        copies.ForEach(c => c.Clear());
        try
        {
            return encryptedSecret.Open(wrappingKey);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new RecoveryException(
                RecoveryFailure.SecretDidNotDecrypt,
                $"The {shares.Count} shares of deal {encryptedSecret.DealId} do not decrypt the ledger secret: at least one share's value is wrong, or the encrypted secret was altered.",
                e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrappingKey);
        }
    }

    private static void RequireDistinct(IReadOnlyList<MemberEncryptionKey> members)
    {
        var keyIds = new HashSet<Sha256Hash>();
        foreach (var member in members)
        {
            ArgumentNullException.ThrowIfNull(member, nameof(members));
            if (!keyIds.Add(member.KeyId))
            {
                throw new ArgumentException($"The key {member.KeyId} is given twice; each member has its own key and gets one share.", nameof(members));
            }
        }
    }

    private static void RequireUsableShares(EncryptedLedgerSecret encryptedSecret, IReadOnlyList<RecoveryShare> shares)
    {
        var seen = new HashSet<byte>();
        foreach (var share in shares)
        {
            ArgumentNullException.ThrowIfNull(share, nameof(shares));
            if (!encryptedSecret.Admits(share))
            {
                throw new RecoveryException(
                    RecoveryFailure.ShareFromAnotherDeal,
                    $"Share x = {share.X} of deal {share.DealId} (threshold {share.Threshold}) is not one of the {encryptedSecret.ShareCount} shares of deal {encryptedSecret.DealId} (threshold {encryptedSecret.Threshold}).");
            }

            if (!seen.Add(share.X))
            {
                throw new RecoveryException(RecoveryFailure.DuplicateShare, $"Share x = {share.X} is given twice; each member's share counts once.");
            }
        }

        if (shares.Count < encryptedSecret.Threshold)
        {
            throw new RecoveryException(
                RecoveryFailure.TooFewShares,
                $"Deal {encryptedSecret.DealId} needs {encryptedSecret.Threshold} shares to recover the ledger secret; {shares.Count} were given.");
        }
    }
}
