using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vellum.Core.Recovery;

namespace Vellum.Core.Encryption;

/// <summary>
/// Makes and opens <see cref="LedgerSecretRecord"/>s, the chain of ledger secrets a private
/// ledger keeps in public. Keys are derived with HKDF-SHA256 and no salt:
/// <list type="bullet">
/// <item>the node key of version <c>v</c>, which seals <c>nodeWrap</c> so that every node of the
/// service learns the secret as the record replicates: <c>HKDF(distribution secret, info =
/// "vellum ledger secret distribution v2" ‖ v as u32 little-endian)</c>, where the distribution
/// secret is <see cref="DistributionSecretLabel"/> derived from the service's private key
/// (<see cref="Identity.ServiceIdentity.DeriveSecret"/>). Records of format 1 used
/// <c>HKDF(service secret, info = "vellum ledger secret distribution v1" ‖ v)</c> instead; they
/// are still opened, never written;</item>
/// <item>the wrap key of secret <c>L_v</c>: <c>HKDF(L_v, info = "vellum ledger secret wrap v1")</c>,
/// which seals <c>previousWrap</c> (<c>L_{v-1}</c>) and <c>serviceSecretWrap</c>; deriving it
/// keeps <c>L_v</c> itself apart from its entry key (<see cref="EntryCipher.KeyLabel"/>).</item>
/// </list>
/// The chain only runs backwards: <c>L_v</c> opens every older secret and the service secret, and
/// nothing in the records opens a newer one without the service's private key. Disaster recovery
/// recovers only the latest secret from members' shares; <see cref="Unwind"/> then recovers every
/// older secret and the service secret from the records.
/// </summary>
public static class LedgerSecretChain
{
    /// <summary>The label of the distribution secret the service's private key derives (<see cref="Identity.ServiceIdentity.DeriveSecret"/>).</summary>
    public const string DistributionSecretLabel = "vellum ledger secret distribution secret v1";

    /// <summary>The HKDF info prefix of the node key of a format 2 record; the version follows it.</summary>
    public const string NodeKeyLabel = "vellum ledger secret distribution v2";

    /// <summary>The HKDF info prefix of the node key of a format 1 record, derived from the service secret.</summary>
    public const string ServiceSecretNodeKeyLabel = "vellum ledger secret distribution v1";

    /// <summary>The HKDF info of a secret's wrap key.</summary>
    public const string WrapKeyLabel = "vellum ledger secret wrap v1";

    private const string NodeField = "nodeWrap";
    private const string PreviousField = "previousWrap";
    private const string ServiceSecretField = "serviceSecretWrap";

    /// <summary>
    /// The record of <paramref name="secret"/> (format 2): sealed for the nodes under
    /// <paramref name="distributionSecret"/>, with <paramref name="previous"/> (required from version 1, absent for version 0) and the
    /// service secret sealed under it. The record names <paramref name="secret"/>'s start seqno;
    /// a primary that learns the seqno only when it writes the record replaces it (<c>with</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A previous secret is missing, present for version 0, or not the version before; or the service or distribution secret is not 32 bytes.</exception>
    public static LedgerSecretRecord Seal(LedgerSecret secret, LedgerSecret? previous, ReadOnlySpan<byte> serviceSecret, ReadOnlySpan<byte> distributionSecret, string? proposalId, RandomFill random)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(random);
        if ((secret.Version == 0) != (previous is null) || (previous is not null && previous.Version != secret.Version - 1))
        {
            throw new ArgumentException("Version 0 has no previous secret; every later version wraps the version just before it.", nameof(previous));
        }

        if (serviceSecret.Length != LedgerSecret.SecretBytes || distributionSecret.Length != LedgerSecret.SecretBytes)
        {
            throw new ArgumentException($"The service and distribution secrets are {LedgerSecret.SecretBytes} bytes, not {serviceSecret.Length} and {distributionSecret.Length}.", nameof(serviceSecret));
        }

        Span<byte> key = stackalloc byte[32];
        try
        {
            DeriveNodeKey(distributionSecret, NodeKeyLabel, secret.Version, key);
            var nodeWrap = SecretWrap.Seal(key, secret.Version, NodeField, secret.Secret, random);
            DeriveWrapKey(secret.Secret, key);
            var previousWrap = previous is null ? null : SecretWrap.Seal(key, secret.Version, PreviousField, previous.Secret, random);
            var serviceSecretWrap = SecretWrap.Seal(key, secret.Version, ServiceSecretField, serviceSecret, random);
            return new LedgerSecretRecord(secret.Version, secret.StartSeqno, proposalId, nodeWrap, previousWrap, serviceSecretWrap, LedgerSecretRecord.ServiceKeyFormat);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// The secret of <paramref name="record"/>, opened as a node of the service that wrote it
    /// does: with <paramref name="distributionSecret"/> (format 2) or <paramref name="serviceSecret"/>
    /// (format 1).
    /// </summary>
    /// <exception cref="LedgerSecretChainException">The record was not sealed for this service's nodes (another ledger, or this one under a service identity lost in a disaster), or was modified.</exception>
    public static LedgerSecret OpenForNode(LedgerSecretRecord record, ReadOnlySpan<byte> serviceSecret, ReadOnlySpan<byte> distributionSecret)
    {
        ArgumentNullException.ThrowIfNull(record);
        var byServiceKey = record.Format == LedgerSecretRecord.ServiceKeyFormat;
        Span<byte> key = stackalloc byte[32];
        DeriveNodeKey(byServiceKey ? distributionSecret : serviceSecret, byServiceKey ? NodeKeyLabel : ServiceSecretNodeKeyLabel, record.Version, key);
        var opened = SecretWrap.TryOpen(key, record.Version, NodeField, record.NodeWrap, out var secret);
        CryptographicOperations.ZeroMemory(key);
        return opened
            ? Take(record.Version, record.StartSeqno, secret)
            : throw new LedgerSecretChainException(byServiceKey
                ? $"The ledger secret record of version {record.Version} is not sealed for the nodes of this service identity: it belongs to another ledger, it was written before a disaster recovery, or it was modified."
                : $"The ledger secret record of version {record.Version} does not open with this service secret: it belongs to another ledger, or it was modified.");
    }

    /// <summary>
    /// Whether <paramref name="secret"/> is the secret of <paramref name="record"/>, for a node that
    /// already holds it: its <c>serviceSecretWrap</c> opens with it, to <paramref name="serviceSecret"/>.
    /// This needs no node key, so it checks a secret learnt from a recovery or a join answer
    /// against a record sealed for another service identity's nodes.
    /// </summary>
    public static bool Vouches(LedgerSecretRecord record, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> serviceSecret)
    {
        ArgumentNullException.ThrowIfNull(record);
        Span<byte> key = stackalloc byte[32];
        DeriveWrapKey(secret, key);
        var opened = SecretWrap.TryOpen(key, record.Version, ServiceSecretField, record.ServiceSecretWrap, out var wrapped);
        CryptographicOperations.ZeroMemory(key);
        var vouches = opened && CryptographicOperations.FixedTimeEquals(wrapped, serviceSecret);
        CryptographicOperations.ZeroMemory(wrapped);
        return vouches;
    }

    /// <summary>
    /// Recovers every ledger secret and the service secret from the records of a ledger, in
    /// ledger order (versions 0, 1, 2… with no gap), and the secret of the last record alone. Pass
    /// the records up to the version <paramref name="latestSecret"/> is: a later record needs its
    /// own secret. Each recovered secret is checked by an AES-GCM tag, so a wrong key never yields
    /// wrong secrets.
    /// </summary>
    /// <exception cref="ArgumentException">There is no record, or the versions are not 0, 1, 2… with increasing start seqnos.</exception>
    /// <exception cref="LedgerSecretChainException"><paramref name="latestSecret"/> is not the last record's secret, or a record was modified.</exception>
    public static UnwoundSecrets Unwind(IReadOnlyList<LedgerSecretRecord> records, ReadOnlySpan<byte> latestSecret)
    {
        ArgumentNullException.ThrowIfNull(records);
        CheckChain(records);
        var last = records[^1];
        if (latestSecret.Length != LedgerSecret.SecretBytes)
        {
            throw new LedgerSecretChainException($"A ledger secret is {LedgerSecret.SecretBytes} bytes, not {latestSecret.Length}.");
        }

        var secrets = new LedgerSecret[records.Count];
        byte[]? serviceSecret = null;
        var current = latestSecret.ToArray();
        try
        {
            serviceSecret = Open(current, last, ServiceSecretField, last.ServiceSecretWrap);
            for (var version = records.Count - 1; version >= 0; version--)
            {
                var record = records[version];
                var previous = record.PreviousWrap is null ? null : Open(current, record, PreviousField, record.PreviousWrap);

                // Version 0 has no previous wrap to vouch for it; its service secret wrap does.
                _ = previous ?? Open(current, record, ServiceSecretField, record.ServiceSecretWrap);
                secrets[version] = Take(version, record.StartSeqno, current);
                current = previous ?? [];
            }

            return new UnwoundSecrets(secrets, serviceSecret);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(current);
            if (serviceSecret is not null)
            {
                CryptographicOperations.ZeroMemory(serviceSecret);
            }

            foreach (var secret in secrets)
            {
                secret?.Dispose();
            }

            throw;
        }
    }

    private static void CheckChain(IReadOnlyList<LedgerSecretRecord> records)
    {
        if (records.Count == 0)
        {
            throw new ArgumentException("A private ledger has at least the record of version 0.", nameof(records));
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Version != i || (i > 0 && records[i].StartSeqno <= records[i - 1].StartSeqno))
            {
                throw new ArgumentException($"Ledger secret records are versions 0, 1, 2… in ledger order with increasing start seqnos; record {i} is version {records[i].Version} from seqno {records[i].StartSeqno}.", nameof(records));
            }
        }
    }

    private static byte[] Open(ReadOnlySpan<byte> secret, LedgerSecretRecord record, string field, byte[] wrapped)
    {
        Span<byte> key = stackalloc byte[32];
        DeriveWrapKey(secret, key);
        var opened = SecretWrap.TryOpen(key, record.Version, field, wrapped, out var plaintext);
        CryptographicOperations.ZeroMemory(key);
        return opened
            ? plaintext
            : throw new LedgerSecretChainException($"The {field} of the ledger secret record of version {record.Version} does not open with the secret given: it is not ledger secret version {record.Version} of this ledger, or the record was modified.");
    }

    private static LedgerSecret Take(int version, long startSeqno, byte[] secret)
    {
        var taken = new LedgerSecret(version, startSeqno, secret);
        CryptographicOperations.ZeroMemory(secret);
        return taken;
    }

    private static void DeriveNodeKey(ReadOnlySpan<byte> secret, string labelText, int version, Span<byte> key)
    {
        var label = Encoding.ASCII.GetBytes(labelText);
        var info = new byte[label.Length + 4];
        label.CopyTo(info, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(label.Length), (uint)version);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, key, [], info);
    }

    private static void DeriveWrapKey(ReadOnlySpan<byte> secret, Span<byte> key) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, key, [], Encoding.ASCII.GetBytes(WrapKeyLabel));
}
