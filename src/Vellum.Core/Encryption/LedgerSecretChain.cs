using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vellum.Core.Recovery;

namespace Vellum.Core.Encryption;

/// <summary>
/// Makes and opens <see cref="LedgerSecretRecord"/>s, the chain of ledger secrets a private
/// ledger keeps in public. Two keys are derived, each with HKDF-SHA256 and no salt:
/// <list type="bullet">
/// <item>the node key of version <c>v</c>: <c>HKDF(service secret, info = "vellum ledger secret
/// distribution v1" ‖ v as u32 little-endian)</c>, which seals <c>nodeWrap</c>, so that every
/// node (all hold the service secret) learns the secret as the record replicates;</item>
/// <item>the wrap key of secret <c>L_v</c>: <c>HKDF(L_v, info = "vellum ledger secret wrap v1")</c>,
/// which seals <c>previousWrap</c> (<c>L_{v-1}</c>) and <c>serviceSecretWrap</c>; deriving it
/// keeps <c>L_v</c> itself apart from its entry key (<see cref="EntryCipher.KeyLabel"/>).</item>
/// </list>
/// Disaster recovery recovers only the latest secret from members' shares; <see cref="Unwind"/>
/// then recovers every older secret and the service secret from the records.
/// </summary>
public static class LedgerSecretChain
{
    /// <summary>The HKDF info prefix of the node key; the version follows it.</summary>
    public const string NodeKeyLabel = "vellum ledger secret distribution v1";

    /// <summary>The HKDF info of a secret's wrap key.</summary>
    public const string WrapKeyLabel = "vellum ledger secret wrap v1";

    private const string NodeField = "nodeWrap";
    private const string PreviousField = "previousWrap";
    private const string ServiceSecretField = "serviceSecretWrap";

    /// <summary>
    /// The record of <paramref name="secret"/>: sealed for the nodes under <paramref name="serviceSecret"/>,
    /// with <paramref name="previous"/> (required from version 1, absent for version 0) and the
    /// service secret sealed under it. The record names <paramref name="secret"/>'s start seqno;
    /// a primary that learns the seqno only when it writes the record replaces it (<c>with</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A previous secret is missing, present for version 0, or not the version before; or the service secret is not 32 bytes.</exception>
    public static LedgerSecretRecord Seal(LedgerSecret secret, LedgerSecret? previous, ReadOnlySpan<byte> serviceSecret, string? proposalId, RandomFill random)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(random);
        if ((secret.Version == 0) != (previous is null) || (previous is not null && previous.Version != secret.Version - 1))
        {
            throw new ArgumentException("Version 0 has no previous secret; every later version wraps the version just before it.", nameof(previous));
        }

        if (serviceSecret.Length != LedgerSecret.SecretBytes)
        {
            throw new ArgumentException($"The service secret is {LedgerSecret.SecretBytes} bytes, not {serviceSecret.Length}.", nameof(serviceSecret));
        }

        Span<byte> key = stackalloc byte[32];
        try
        {
            DeriveNodeKey(serviceSecret, secret.Version, key);
            var nodeWrap = SecretWrap.Seal(key, secret.Version, NodeField, secret.Secret, random);
            DeriveWrapKey(secret.Secret, key);
            var previousWrap = previous is null ? null : SecretWrap.Seal(key, secret.Version, PreviousField, previous.Secret, random);
            var serviceSecretWrap = SecretWrap.Seal(key, secret.Version, ServiceSecretField, serviceSecret, random);
            return new LedgerSecretRecord(secret.Version, secret.StartSeqno, proposalId, nodeWrap, previousWrap, serviceSecretWrap);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The secret of <paramref name="record"/>, opened with the service secret as a node does.</summary>
    /// <exception cref="LedgerSecretChainException">The record was not sealed under this service secret, or was modified.</exception>
    public static LedgerSecret OpenForNode(LedgerSecretRecord record, ReadOnlySpan<byte> serviceSecret)
    {
        ArgumentNullException.ThrowIfNull(record);
        Span<byte> key = stackalloc byte[32];
        DeriveNodeKey(serviceSecret, record.Version, key);
        var opened = SecretWrap.TryOpen(key, record.Version, NodeField, record.NodeWrap, out var secret);
        CryptographicOperations.ZeroMemory(key);
        return opened
            ? Take(record.Version, record.StartSeqno, secret)
            : throw new LedgerSecretChainException($"The ledger secret record of version {record.Version} does not open with this service secret: it belongs to another ledger, or it was modified.");
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

    private static void DeriveNodeKey(ReadOnlySpan<byte> serviceSecret, int version, Span<byte> key)
    {
        var label = Encoding.ASCII.GetBytes(NodeKeyLabel);
        var info = new byte[label.Length + 4];
        label.CopyTo(info, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(label.Length), (uint)version);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, serviceSecret, key, [], info);
    }

    private static void DeriveWrapKey(ReadOnlySpan<byte> secret, Span<byte> key) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, key, [], Encoding.ASCII.GetBytes(WrapKeyLabel));
}
