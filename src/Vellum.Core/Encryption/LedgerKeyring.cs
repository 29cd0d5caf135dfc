namespace Vellum.Core.Encryption;

/// <summary>
/// The ledger secrets of a private ledger, by version. An entry is sealed under the secret in
/// force at its seqno (the highest start seqno at or below it) and names that secret's version;
/// opening checks both, so an entry cannot claim an older, perhaps leaked, secret.
/// </summary>
/// <remarks>
/// The keyring grows when a rotation's record is applied and shrinks when a rollback drops it,
/// while requests read entries on other threads. The versions are kept in an immutable array
/// that a change replaces whole, so a reader sees one consistent set without a lock. A dropped
/// version's cipher may still be in a reader's hands, so it is kept, unused, until the keyring is
/// disposed: rollbacks of a rotation are rare, so this stays small.
/// </remarks>
public sealed class LedgerKeyring : IDisposable
{
    private readonly Lock _changes = new();
    private readonly List<(LedgerSecret Secret, EntryCipher Cipher)> _dropped = [];
    private (LedgerSecret Secret, EntryCipher Cipher)[] _versions;

    /// <summary>Derives a cipher for each secret; the keyring keeps its own copies of the secrets.</summary>
    /// <exception cref="ArgumentException">There is no secret, or versions are not 0, 1, 2… with increasing start seqnos.</exception>
    public LedgerKeyring(IReadOnlyList<LedgerSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("A private ledger has at least one ledger secret.", nameof(secrets));
        }

        for (var i = 0; i < secrets.Count; i++)
        {
            if (secrets[i].Version != i || (i > 0 && secrets[i].StartSeqno <= secrets[i - 1].StartSeqno))
            {
                throw new ArgumentException("Ledger secrets are numbered 0, 1, 2… in order of increasing start seqno.", nameof(secrets));
            }
        }

        _versions = secrets.Select(Entry).ToArray();
    }

    /// <summary>How many versions the keyring holds: the next version is this number.</summary>
    public int Count => Volatile.Read(ref _versions).Length;

    /// <summary>The latest secret: the one new entries are sealed under, and the one members are dealt.</summary>
    public LedgerSecret Latest => Volatile.Read(ref _versions)[^1].Secret;

    /// <summary>The secret of <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The keyring holds no such version.</exception>
    public LedgerSecret SecretOf(int version)
    {
        var versions = Volatile.Read(ref _versions);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(version, versions.Length);
        return versions[version].Secret;
    }

    /// <summary>The cipher of the secret in force at <paramref name="seqno"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No secret is in force there (before the first secret's start).</exception>
    public EntryCipher ForSeqno(long seqno)
    {
        var versions = Volatile.Read(ref _versions);
        for (var i = versions.Length - 1; i >= 0; i--)
        {
            if (versions[i].Cipher.StartSeqno <= seqno)
            {
                return versions[i].Cipher;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(seqno), seqno, $"No ledger secret is in force before seqno {versions[0].Cipher.StartSeqno}.");
    }

    /// <summary>Opens a private write with the secret in force at its seqno.</summary>
    /// <exception cref="Entries.EntryFormatException">The bytes are not a well-formed private write.</exception>
    /// <exception cref="EntryDecryptionException">The entry was modified, or names a secret not in force at its seqno.</exception>
    public OpenedWrite Open(ReadOnlySpan<byte> entry)
    {
        var id = Entries.EntryCodec.ReadHeader(entry).Id;
        var first = Volatile.Read(ref _versions)[0].Cipher.StartSeqno;
        if (id.Seqno < first)
        {
            throw new EntryDecryptionException(id, $"no ledger secret is in force before seqno {first}.");
        }

        return ForSeqno(id.Seqno).Open(entry);
    }

    /// <summary>Adds the next version (a copy of <paramref name="secret"/>), in force from its start seqno.</summary>
    /// <exception cref="ArgumentException">It is not the next version, or does not start after the latest.</exception>
    public void Add(LedgerSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        lock (_changes)
        {
            var versions = _versions;
            if (secret.Version != versions.Length || secret.StartSeqno <= versions[^1].Secret.StartSeqno)
            {
                throw new ArgumentException($"The next ledger secret is version {versions.Length}, starting after seqno {versions[^1].Secret.StartSeqno}; not version {secret.Version} from seqno {secret.StartSeqno}.", nameof(secret));
            }

            Volatile.Write(ref _versions, [.. versions, Entry(secret)]);
        }
    }

    /// <summary>Drops every version from <paramref name="version"/> on, as a rollback of their records does; version 0 always stays.</summary>
    public void DropFrom(int version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        lock (_changes)
        {
            var versions = _versions;
            if (version >= versions.Length)
            {
                return;
            }

            _dropped.AddRange(versions[version..]);
            Volatile.Write(ref _versions, versions[..version]);
        }
    }

    private static (LedgerSecret, EntryCipher) Entry(LedgerSecret secret)
    {
        var copy = new LedgerSecret(secret.Version, secret.StartSeqno, secret.Secret);
        return (copy, new EntryCipher(copy));
    }

    /// <summary>Releases every cipher and zeroes every secret, dropped ones included.</summary>
    public void Dispose()
    {
        lock (_changes)
        {
            foreach (var (secret, cipher) in _versions.Concat(_dropped))
            {
                cipher.Dispose();
                secret.Dispose();
            }
        }
    }
}
