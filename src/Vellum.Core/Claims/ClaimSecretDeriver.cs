namespace Vellum.Core.Claims;

/// <summary>
/// Derives the per-entry secret key of a <see cref="LedgerEntryClaim"/> from the service secret:
/// <c>claimKey = HMAC-SHA256(serviceSecret, utf8("Vellum claim secret v1"))</c> once, then
/// <c>secretKey = HMAC-SHA256(claimKey, utf8("view.seqno"))</c> per transaction.
/// </summary>
/// <remarks>
/// Deriving the secret instead of drawing it at random means the ledger need not store it: the
/// service recomputes it when it builds a receipt. The label differs from the commit evidence
/// label, so revealing an entry's claim secret (as every receipt does) reveals nothing about its
/// commit evidence or any other entry's secret. Instances are safe to share between threads.
/// </remarks>
public sealed class ClaimSecretDeriver : IDisposable
{
    /// <summary>The label the claim key is derived with.</summary>
    public const string Label = "Vellum claim secret v1";

    private readonly HmacKey _claimKey;
    private bool _disposed;

    /// <summary>Derives the claim key from <paramref name="serviceSecret"/>.</summary>
    /// <exception cref="ArgumentException">The secret is shorter than <see cref="CommitEvidenceDeriver.MinSecretBytes"/>.</exception>
    public ClaimSecretDeriver(ReadOnlySpan<byte> serviceSecret)
        => _claimKey = TransactionHmac.DeriveKey(serviceSecret, Label, nameof(serviceSecret));

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
