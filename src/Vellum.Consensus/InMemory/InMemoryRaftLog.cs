using Vellum.Core;

namespace Vellum.Consensus.InMemory;

/// <summary>
/// A log in memory that models durability the way a disk does: appends are volatile until a
/// flush that began after them completes, and <see cref="LoseVolatileSuffix"/> (a crash) drops
/// whatever was not yet durable. For tests and the deterministic simulation.
/// </summary>
public sealed class InMemoryRaftLog : IRaftLog
{
    private readonly List<ReplicatedEntry> _entries = [];
    private readonly List<long> _signatures = [];
    private readonly List<long> _configurations = [];
    private readonly List<Flush> _flushes = [];
    private long _durableIndex;

    /// <inheritdoc/>
    public long LastIndex => _entries.Count;

    /// <inheritdoc/>
    public long DurableIndex => _durableIndex;

    /// <summary>Every entry, index 1 first.</summary>
    public IReadOnlyList<ReplicatedEntry> Entries => _entries;

    /// <inheritdoc/>
    public long TermAt(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, LastIndex);
        return index == 0 ? 0 : _entries[(int)index - 1].Term;
    }

    /// <inheritdoc/>
    public long LastSignatureAtOrBefore(long index) => LastAtOrBefore(_signatures, index);

    /// <inheritdoc/>
    public (long Index, ClusterConfiguration Configuration)? LastConfigurationAtOrBefore(long index)
    {
        var found = LastAtOrBefore(_configurations, index);
        return found == 0 ? null : (found, _entries[(int)found - 1].Configuration!);
    }

    /// <inheritdoc/>
    public IReadOnlyList<ReplicatedEntry> Read(long fromIndex, int maxEntries, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromIndex, 1);
        var result = new List<ReplicatedEntry>();
        long bytes = 0;
        for (var index = fromIndex; index <= LastIndex && result.Count < maxEntries; index++)
        {
            var entry = _entries[(int)index - 1];
            if (result.Count > 0 && bytes + entry.Payload.Length > maxBytes)
            {
                break;
            }

            bytes += entry.Payload.Length;
            result.Add(entry);
        }

        return result;
    }

    /// <inheritdoc/>
    public void Append(ReplicatedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Validate();
        if (entry.Term < TermAt(LastIndex))
        {
            throw new ArgumentException($"Entry term {entry.Term} is before the last entry's term {TermAt(LastIndex)}.", nameof(entry));
        }

        _entries.Add(entry);
        if (entry.Kind == LogEntryKind.Signature)
        {
            _signatures.Add(LastIndex);
        }
        else if (entry.Kind == LogEntryKind.Configuration)
        {
            _configurations.Add(LastIndex);
        }
    }

    /// <inheritdoc/>
    public void TruncateAfter(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, LastIndex);
        _entries.RemoveRange((int)index, _entries.Count - (int)index);
        _signatures.RemoveAll(seqno => seqno > index);
        _configurations.RemoveAll(seqno => seqno > index);

        // Truncation is durable at once (as the ledger's is), and a flush already under way can
        // no longer vouch for anything past the cut.
        _durableIndex = Math.Min(_durableIndex, index);
        foreach (var flush in _flushes)
        {
            flush.Limit = Math.Min(flush.Limit, index);
        }
    }

    /// <summary>Starts a flush of everything appended so far; it covers those entries when it completes.</summary>
    public Flush BeginFlush()
    {
        var flush = new Flush(LastIndex);
        _flushes.Add(flush);
        return flush;
    }

    /// <summary>Completes <paramref name="flush"/>: what it covered and is still in the log becomes durable.</summary>
    /// <returns>Whether the durable index grew.</returns>
    public bool CompleteFlush(Flush flush)
    {
        ArgumentNullException.ThrowIfNull(flush);
        if (!_flushes.Remove(flush))
        {
            return false;
        }

        var durable = Math.Min(flush.Limit, LastIndex);
        if (durable <= _durableIndex)
        {
            return false;
        }

        _durableIndex = durable;
        return true;
    }

    /// <summary>Makes everything durable at once, as a synchronous fsync would.</summary>
    /// <returns>Whether the durable index grew.</returns>
    public bool FlushNow() => CompleteFlush(BeginFlush());

    /// <summary>Simulates a crash: entries that were not durable are gone, and flushes under way never complete.</summary>
    public void LoseVolatileSuffix()
    {
        Invariant.Check(_durableIndex <= LastIndex, "the durable index is within the log");
        _flushes.Clear();
        if (_durableIndex < LastIndex)
        {
            TruncateAfter(_durableIndex);
        }
    }

    private static long LastAtOrBefore(List<long> indexes, long index)
    {
        var position = indexes.BinarySearch(index);
        if (position >= 0)
        {
            return indexes[position];
        }

        position = ~position;
        return position == 0 ? 0 : indexes[position - 1];
    }

    /// <summary>A flush under way, and the highest index it can still make durable.</summary>
    public sealed class Flush(long limit)
    {
        /// <summary>The highest index this flush can make durable.</summary>
        public long Limit { get; internal set; } = limit;
    }
}
