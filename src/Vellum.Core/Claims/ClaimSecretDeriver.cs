namespace Vellum.Core.Claims;

/// <summary>
/// Derives the per-entry secret key of a <see cref="LedgerEntryClaim"/>:
/// <c>claimKey = HMAC-SHA256(secret, utf8(label))</c> once, then
/// <c>secretKey = HMAC-SHA256(claimKey, utf8("view.seqno"))</c> per transaction. A public write's
/// secret is derived from the service secret under <see cref="Label"/>; a private write's from the
/// ledger secret that seals it, under <see cref="PrivateWriteLabel"/> (see
/// <see cref="ForLedgerSecret"/>).
/// </summary>
/// <remarks>
/// Deriving the secret instead of drawing it at random means the ledger need not store it: the
/// service recomputes it when it builds a receipt. The label differs from the commit evidence
/// label, so revealing an entry's claim secret (as every receipt does) reveals nothing about its
/// commit evidence or any other entry's secret. Instances are safe to share between threads.
/// </remarks>
public sealed class ClaimSecretDeriver : IDisposable
{
    /// <summary>The label the claim key of public writes is derived with, from the service secret.</summary>
    public const string Label = "Vellum claim secret v1";

    /// <summary>The label the claim key of private writes is derived with, from the ledger secret that seals them.</summary>
    public const string PrivateWriteLabel = "Vellum private write claim secret v1";

    private readonly HmacKey _claimKey;
    private bool _disposed;

    /// <summary>Derives the claim key from <paramref name="serviceSecret"/>.</summary>
    /// <exception cref="ArgumentException">The secret is shorter than <see cref="CommitEvidenceDeriver.MinSecretBytes"/>.</exception>
    public ClaimSecretDeriver(ReadOnlySpan<byte> serviceSecret)
        : this(TransactionHmac.DeriveKey(serviceSecret, Label, nameof(serviceSecret)))
    {
    }

    private ClaimSecretDeriver(HmacKey claimKey) => _claimKey = claimKey;

    /// <summary>
    /// The deriver of the private writes sealed under <paramref name="ledgerSecret"/>. Holding an
    /// older ledger secret, or the service secret it unwraps, gives none of these: so nobody
    /// without this version's secret can test a guess of a private write's contents against the
    /// claims digest its header carries in the clear.
    /// </summary>
    /// <exception cref="ArgumentException">The secret is shorter than <see cref="CommitEvidenceDeriver.MinSecretBytes"/>.</exception>
    public static ClaimSecretDeriver ForLedgerSecret(ReadOnlySpan<byte> ledgerSecret)
        => new(TransactionHmac.DeriveKey(ledgerSecret, PrivateWriteLabel, nameof(ledgerSecret)));

    /// <summary>Writes the claim secret of <paramref name="transactionId"/> into <paramref name="destination"/> (32 bytes).</summary>
    /// <exception cref="ObjectDisposedException">The deriver was disposed.</exception>
    public void Derive(TransactionId transactionId, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, LedgerEntryClaim.SecretKeyBytes, nameof(destination));
        TransactionHmac.Compute(_claimKey, transactionId, destination[..LedgerEntryClaim.SecretKeyBytes]);
    }

    /// <summary>Zeroes the claim key; later derivations throw.</summary>
    public void Dispose()
    {
        _claimKey.Dispose();
        _disposed = true;
    }
}
