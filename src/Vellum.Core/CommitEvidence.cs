using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Vellum.Core;

/// <summary>
/// The commit evidence of a transaction, <c>"ce:&lt;view&gt;.&lt;seqno&gt;:&lt;64 lowercase hex&gt;"</c>.
/// Only its SHA-256 digest goes into the ledger; the evidence itself is revealed in receipts, after
/// commit, so a receipt for a transaction that was rolled back cannot be made to verify.
/// </summary>
/// <remarks>
/// The nonce is derived by <see cref="CommitEvidenceDeriver"/> from a service secret. The text form
/// is canonical (canonical transaction id, lowercase hex), because the ledger stores the digest of
/// the exact text: two spellings of one evidence would have different digests.
/// </remarks>
public readonly record struct CommitEvidence
{
    /// <summary>The prefix every commit evidence string starts with.</summary>
    public const string Prefix = "ce:";

    // The longest text form: the prefix, the longest transaction id, a colon and 64 hex digits.
    private const int MaxChars = 3 + TransactionId.MaxChars + 1 + (2 * Sha256Hash.Size);

    /// <summary>Pairs a transaction id with its derived nonce.</summary>
    /// <exception cref="ArgumentException"><paramref name="transactionId"/> is the default, invalid id.</exception>
    public CommitEvidence(TransactionId transactionId, Sha256Hash nonce)
    {
        if (transactionId.View < 1)
        {
            throw new ArgumentException("Commit evidence needs a real transaction id, not the default value.", nameof(transactionId));
        }

        TransactionId = transactionId;
        Nonce = nonce;
    }

    /// <summary>The transaction the evidence belongs to.</summary>
    public TransactionId TransactionId { get; }

    /// <summary>The 32-byte nonce, <c>HMAC-SHA256(commitSecret, utf8("view.seqno"))</c>.</summary>
    public Sha256Hash Nonce { get; }

    /// <summary>The canonical text form <c>"ce:view.seqno:hex"</c>, as it appears in receipts.</summary>
    public override string ToString() => $"{Prefix}{TransactionId}:{Nonce.ToHex()}";

    /// <summary>SHA-256 of the UTF-8 text form: the value the ledger stores and the leaf hashes.</summary>
    /// <remarks>The primary computes one for every write, so the text is formed on the stack, not as a string.</remarks>
    public Sha256Hash Digest()
    {
        Span<char> text = stackalloc char[MaxChars];
        var formatted = text.TryWrite(CultureInfo.InvariantCulture, $"{Prefix}{TransactionId}:", out var head);
        formatted &= Convert.TryToHexStringLower(Nonce.Bytes, text[head..], out var hex);
        Invariant.Check(formatted, "commit evidence fits its longest form");

        // The text is ASCII: one byte a character.
        Span<byte> utf8 = stackalloc byte[MaxChars];
        var length = Encoding.UTF8.GetBytes(text[..(head + hex)], utf8);
        return Sha256Hash.Of(utf8[..length]);
    }

    /// <summary>SHA-256 of <paramref name="evidence"/> as UTF-8, without checking its form.</summary>
    /// <remarks>
    /// ACL's verifier hashes whatever string a receipt carries, so the leaf computation must too;
    /// use <see cref="TryParse(ReadOnlySpan{char}, out CommitEvidence, out string?)"/> to check the form.
    /// </remarks>
    public static Sha256Hash DigestOf(string evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return Sha256Hash.Of(Encoding.UTF8.GetBytes(evidence));
    }

    /// <summary>Parses the canonical text form.</summary>
    /// <exception cref="FormatException">The text is not commit evidence; the message says why.</exception>
    public static CommitEvidence Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var evidence, out var error))
        {
            throw new FormatException(error);
        }

        return evidence;
    }

    /// <summary>Parses the canonical text form, reporting failure instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out CommitEvidence evidence) => TryParse(text, out evidence, out _);

    /// <summary>Parses the canonical text form; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out CommitEvidence evidence, [NotNullWhen(false)] out string? error)
    {
        evidence = default;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = Describe(text, $"it must start with \"{Prefix}\"");
            return false;
        }

        var rest = text[Prefix.Length..];
        var colon = rest.IndexOf(':');
        if (colon < 0)
        {
            error = Describe(text, "it must have the form ce:<view>.<seqno>:<64 hex>");
            return false;
        }

        if (!TransactionId.TryParse(rest[..colon], out var id, out var idError))
        {
            error = Describe(text, $"its transaction id is invalid ({idError.TrimEnd('.')})");
            return false;
        }

        var hex = rest[(colon + 1)..];
        if (!IsLowercaseHex(hex) || !Sha256Hash.TryParseHex(hex, out var nonce))
        {
            error = Describe(text, "its nonce must be exactly 64 lowercase hexadecimal characters");
            return false;
        }

        evidence = new CommitEvidence(id, nonce);
        error = null;
        return true;
    }

    private static bool IsLowercaseHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(ReadOnlySpan<char> text, string reason)
    {
        var shown = text.Length <= 100 ? text.ToString() : string.Concat(text[..100], "…");
        return $"\"{shown}\" is not commit evidence: {reason}.";
    }
}
