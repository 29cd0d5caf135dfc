namespace Vellum.Core;

/// <summary>
/// Derives commit evidence from a service secret, so that only the service can produce it:
/// <c>commitSecret = HMAC-SHA256(serviceSecret, utf8("Vellum commit evidence v1"))</c> once, then
/// <c>nonce = HMAC-SHA256(commitSecret, utf8("view.seqno"))</c> per transaction.
/// </summary>
/// <remarks>
/// The commit secret is derived once in the constructor, so each transaction costs one HMAC.
/// The label differs from CCF's <c>"Commit S"</c> on purpose: Vellum's evidence need not be
/// reproducible by CCF, only verifiable, and a distinct label keeps the two derivations apart.
/// Instances are safe to share between threads. Disposing zeroes the commit secret.
/// </remarks>
public sealed class CommitEvidenceDeriver : IDisposable
{
    /// <summary>The label the commit secret is derived with.</summary>
    public const string Label = "Vellum commit evidence v1";

    /// <summary>The shortest service secret accepted, in bytes: 256 bits.</summary>
    public const int MinSecretBytes = 32;

    private readonly HmacKey _commitSecret;
    private bool _disposed;

    /// <summary>Derives the commit secret from <paramref name="serviceSecret"/>.</summary>
    /// <exception cref="ArgumentException">The secret is shorter than <see cref="MinSecretBytes"/>.</exception>
    public CommitEvidenceDeriver(ReadOnlySpan<byte> serviceSecret)
        => _commitSecret = TransactionHmac.DeriveKey(serviceSecret, Label, nameof(serviceSecret));

    /// <summary>The commit evidence of <paramref name="transactionId"/>.</summary>
    /// <exception cref="ObjectDisposedException">The deriver was disposed.</exception>
    public CommitEvidence Derive(TransactionId transactionId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> nonce = stackalloc byte[Sha256Hash.Size];
        TransactionHmac.Compute(_commitSecret, transactionId, nonce);
        return new CommitEvidence(transactionId, new Sha256Hash(nonce));
    }

    /// <summary>The digest of the commit evidence of <paramref name="transactionId"/>: what the ledger stores.</summary>
    public Sha256Hash DeriveDigest(TransactionId transactionId) => Derive(transactionId).Digest();

    /// <summary>Zeroes the commit secret; later derivations throw.</summary>
    public void Dispose()
    {
        _commitSecret.Dispose();
        _disposed = true;
    }
}
