using Vellum.Core;

namespace Vellum.Storage;

/// <summary>
/// Where each view starts: one (view, first seqno) pair per view change, in seqno order. Views
/// never go back, so the view of any entry is a binary search away, and the whole history costs
/// 16 bytes per view change, however long the ledger. Callers serialise access.
/// </summary>
internal sealed class ViewHistory
{
    private readonly List<(long View, long FirstSeqno)> _starts = [];

    /// <summary>The number of views that have entries.</summary>
    public int Count => _starts.Count;

    /// <summary>
    /// Rebuilds the history of entries <paramref name="firstSeqno"/> to <paramref name="lastSeqno"/>
    /// by bisection: a range whose two ends are in the same view holds no change, so the cost is
    /// O(c · log n) calls of <paramref name="viewOf"/> for c view changes, and two when there are none.
    /// </summary>
    public static ViewHistory Rebuild(long firstSeqno, long lastSeqno, Func<long, long> viewOf)
    {
        var history = new ViewHistory();
        if (lastSeqno < firstSeqno)
        {
            return history;
        }

        var firstView = viewOf(firstSeqno);
        history.Append(firstView, firstSeqno);
        if (lastSeqno > firstSeqno)
        {
            history.FindChanges(firstSeqno, firstView, lastSeqno, viewOf(lastSeqno), viewOf);
        }

        return history;
    }

    /// <summary>Records the entry <paramref name="seqno"/>, which follows every entry recorded so far.</summary>
    public void Append(long view, long seqno)
    {
        if (_starts.Count > 0)
        {
            Invariant.Check(view >= _starts[^1].View && seqno > _starts[^1].FirstSeqno, "views never go back and seqnos follow on");
            if (view == _starts[^1].View)
            {
                return;
            }
        }

        _starts.Add((view, seqno));
    }

    /// <summary>The view of entry <paramref name="seqno"/>, which the caller knows exists; 0 before the first entry.</summary>
    public long ViewAt(long seqno)
    {
        // The last start at or before the seqno.
        int low = 0, high = _starts.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_starts[middle].FirstSeqno <= seqno)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low == 0 ? 0 : _starts[low - 1].View;
    }

    /// <summary>Forgets every entry after <paramref name="seqno"/>.</summary>
    public void TruncateAfter(long seqno)
    {
        var keep = _starts.Count;
        while (keep > 0 && _starts[keep - 1].FirstSeqno > seqno)
        {
            keep--;
        }

        _starts.RemoveRange(keep, _starts.Count - keep);
    }

    private void FindChanges(long low, long lowView, long high, long highView, Func<long, long> viewOf)
    {
        // Entries low and high are known; record every change in (low, high], in order.
        if (lowView == highView)
        {
            return;
        }

        if (highView < lowView)
        {
            throw new LedgerCorruptException($"entry {high} is in view {highView}, an earlier view than entry {low} ({lowView}).");
        }

        if (high == low + 1)
        {
            Append(highView, high);
            return;
        }

        var middle = low + ((high - low) / 2);
        var middleView = viewOf(middle);
        FindChanges(low, lowView, middle, middleView, viewOf);
        FindChanges(middle, middleView, high, highView, viewOf);
    }
}
