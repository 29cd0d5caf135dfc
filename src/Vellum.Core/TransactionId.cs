using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Vellum.Core;

/// <summary>
/// A transaction id <c>"&lt;view&gt;.&lt;seqno&gt;"</c>: the view (Raft term) in which the primary
/// sequenced the transaction, and its position in the ledger. Ids order by seqno, then view.
/// </summary>
/// <remarks>
/// Both parts are at least 1: seqno 0 is the ledger's zero leaf and view 0 precedes the first
/// election, so neither names a transaction. The text form is canonical decimal: no sign, no
/// spaces, no leading zeros, so one transaction has exactly one spelling.
/// </remarks>
public readonly record struct TransactionId : IComparable<TransactionId>, ISpanFormattable
{
    /// <summary>The longest text form: two 19-digit parts and the dot.</summary>
    public const int MaxChars = 39;

    /// <summary>Creates an id, rejecting a view or seqno below 1.</summary>
    public TransactionId(long view, long seqno)
    {
        if (view < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(view), view, "A transaction's view is at least 1.");
        }

        if (seqno < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(seqno), seqno, "A transaction's seqno is at least 1.");
        }

        View = view;
        Seqno = seqno;
    }

    /// <summary>The view (Raft term) in which the transaction was sequenced.</summary>
    public long View { get; }

    /// <summary>The transaction's position in the ledger, counted from 1.</summary>
    public long Seqno { get; }

    /// <summary>Parses <c>"view.seqno"</c>.</summary>
    /// <exception cref="FormatException">The text is not a transaction id; the message says why.</exception>
    public static TransactionId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var id, out var error))
        {
            throw new FormatException(error);
        }

        return id;
    }

    /// <summary>Parses <c>"view.seqno"</c>, reporting failure instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out TransactionId id) => TryParse(text, out id, out _);

    /// <summary>Parses <c>"view.seqno"</c>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        ReadOnlySpan<char> text,
        out TransactionId id,
        [NotNullWhen(false)] out string? error)
    {
        id = default;
        var dot = text.IndexOf('.');
        if (dot < 0)
        {
            error = Describe(text, "it must have the form <view>.<seqno>, for example 2.15");
            return false;
        }

        var viewText = text[..dot];
        var seqnoText = text[(dot + 1)..];
        if (seqnoText.Contains('.'))
        {
            error = Describe(text, "it has more than two parts");
            return false;
        }

        if (!TryParsePart(viewText, out var view, out var partError))
        {
            error = Describe(text, $"the view {partError}");
            return false;
        }

        if (!TryParsePart(seqnoText, out var seqno, out partError))
        {
            error = Describe(text, $"the seqno {partError}");
            return false;
        }

        id = new TransactionId(view, seqno);
        error = null;
        return true;
    }

    /// <summary>
    /// Parses a view, a seqno or a tree size as it is written in an id: decimal digits only, no
    /// sign or leading zero, at least 1, so that each number has one spelling.
    /// </summary>
    /// <param name="part">The text.</param>
    /// <param name="value">The number, when it parses.</param>
    /// <param name="error">Otherwise what is wrong, as a predicate of the text ("is negative").</param>
    public static bool TryParsePart(ReadOnlySpan<char> part, out long value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        if (part.IsEmpty)
        {
            error = "is missing";
            return false;
        }

        foreach (var c in part)
        {
            if (c is < '0' or > '9')
            {
                error = c == '-' ? "is negative" : "is not a decimal number";
                return false;
            }
        }

        if (part.Length > 1 && part[0] == '0')
        {
            error = "has a leading zero";
            return false;
        }

        if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = $"exceeds {long.MaxValue}";
            return false;
        }

        if (value < 1)
        {
            error = "must be at least 1";
            return false;
        }

        error = null;
        return true;
    }

    private static string Describe(ReadOnlySpan<char> text, string reason)
    {
        var shown = text.Length <= 64 ? text.ToString() : string.Concat(text[..64], "…");
        return $"\"{shown}\" is not a transaction id: {reason}.";
    }

    /// <summary>Orders by seqno, then by view.</summary>
    public int CompareTo(TransactionId other)
    {
        var bySeqno = Seqno.CompareTo(other.Seqno);
        return bySeqno != 0 ? bySeqno : View.CompareTo(other.View);
    }

    /// <summary>Orders ids by seqno, then view.</summary>
    public static bool operator <(TransactionId left, TransactionId right) => left.CompareTo(right) < 0;

    /// <summary>Orders ids by seqno, then view.</summary>
    public static bool operator >(TransactionId left, TransactionId right) => left.CompareTo(right) > 0;

    /// <summary>Orders ids by seqno, then view.</summary>
    public static bool operator <=(TransactionId left, TransactionId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders ids by seqno, then view.</summary>
    public static bool operator >=(TransactionId left, TransactionId right) => left.CompareTo(right) >= 0;

    /// <summary>The canonical text form <c>"view.seqno"</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{View}.{Seqno}");

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{View}.{Seqno}", out charsWritten);
}
