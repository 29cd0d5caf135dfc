namespace Vellum.Core.Encryption;

/// <summary>
/// The ledger secrets of a private ledger, by version. An entry is sealed under the secret in
/// force at its seqno (the highest start seqno at or below it) and names that secret's version;
/// opening checks both, so an entry cannot claim an older, perhaps leaked, secret.
/// </summary>
public sealed class LedgerKeyring : IDisposable
{
    private readonly EntryCipher[] _ciphers;

    /// <summary>Derives a cipher for each secret.</summary>
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

        _ciphers = secrets.Select(secret => new EntryCipher(secret)).ToArray();
    }

    /// <summary>The cipher of the secret in force at <paramref name="seqno"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No secret is in force there (before the first secret's start).</exception>
    public EntryCipher ForSeqno(long seqno)
    {
        for (var i = _ciphers.Length - 1; i >= 0; i--)
        {
            if (_ciphers[i].StartSeqno <= seqno)
            {
                return _ciphers[i];
            }
        }

        throw new ArgumentOutOfRangeException(nameof(seqno), seqno, $"No ledger secret is in force before seqno {_ciphers[0].StartSeqno}.");
    }

    /// <summary>Opens a private write with the secret in force at its seqno.</summary>
    /// <exception cref="Entries.EntryFormatException">The bytes are not a well-formed private write.</exception>
    /// <exception cref="EntryDecryptionException">The entry was modified, or names a secret not in force at its seqno.</exception>
    public OpenedWrite Open(ReadOnlySpan<byte> entry)
    {
        var id = Entries.EntryCodec.ReadHeader(entry).Id;
        if (id.Seqno < _ciphers[0].StartSeqno)
        {
            throw new EntryDecryptionException(id, $"no ledger secret is in force before seqno {_ciphers[0].StartSeqno}.");
        }

        return ForSeqno(id.Seqno).Open(entry);
    }

    /// <summary>Releases every cipher.</summary>
    public void Dispose()
    {
        foreach (var cipher in _ciphers)
        {
            cipher.Dispose();
        }
    }
}
