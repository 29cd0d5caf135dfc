using System.Security.Cryptography;

namespace Vellum.Core.Encryption;

/// <summary>
/// One 256-bit ledger secret of a private ledger: it seals the entries from
/// <see cref="StartSeqno"/> on, until a secret with a higher <see cref="Version"/> starts.
/// Rotation adds later versions (<see cref="LedgerSecretChain"/>, docs/storage-format.md).
/// </summary>
public sealed class LedgerSecret : IDisposable
{
    /// <summary>The size of a ledger secret.</summary>
    public const int SecretBytes = 32;

    private readonly byte[] _secret;

    /// <summary>Wraps a copy of <paramref name="secret"/>.</summary>
    /// <exception cref="ArgumentException">The secret is not 32 bytes, the version is negative or the start seqno is below 1.</exception>
    public LedgerSecret(int version, long startSeqno, ReadOnlySpan<byte> secret)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentOutOfRangeException.ThrowIfLessThan(startSeqno, 1);
        if (secret.Length != SecretBytes)
        {
            throw new ArgumentException($"A ledger secret is {SecretBytes} bytes, not {secret.Length}.", nameof(secret));
        }

        Version = version;
        StartSeqno = startSeqno;
        _secret = secret.ToArray();
    }

    /// <summary>The version entries name to say which secret sealed them; 0 for the ledger's first.</summary>
    public int Version { get; }

    /// <summary>The first seqno the secret seals.</summary>
    public long StartSeqno { get; }

    /// <summary>The secret's bytes; only the data folder and the join answer hold them.</summary>
    public ReadOnlySpan<byte> Secret => _secret;

    /// <summary>Zeroes the secret.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_secret);
}
