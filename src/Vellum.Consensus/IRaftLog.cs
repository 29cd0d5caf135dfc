namespace Vellum.Consensus;

/// <summary>
/// The replicated log as consensus sees it: indexes from 1, each entry with its term. The host
/// implements it over the ledger (and in memory for simulation); consensus calls it only from
/// inside its own methods, so an implementation needs no locking of its own against consensus.
/// </summary>
/// <remarks>
/// Appends and truncations take effect at once for reads. Durability trails them: the host
/// fsyncs in the background and calls <see cref="RaftNode.LogDurabilityAdvanced"/> when
/// <see cref="DurableIndex"/> has grown. Terms never decrease along the log.
/// </remarks>
public interface IRaftLog
{
    /// <summary>The index of the last entry, or 0 when the log is empty.</summary>
    long LastIndex { get; }

    /// <summary>
    /// The highest index such that it and every entry before it, as they are now, would survive a
    /// crash. After a truncation it never covers an index at or above the truncation point until
    /// the entries appended there have themselves been made durable.
    /// </summary>
    long DurableIndex { get; }

    /// <summary>The term of entry <paramref name="index"/>; 0 for index 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or beyond <see cref="LastIndex"/>.</exception>
    long TermAt(long index);

    /// <summary>The index of the last signature entry at or before <paramref name="index"/>, or 0 when there is none.</summary>
    long LastSignatureAtOrBefore(long index);

    /// <summary>The last configuration entry at or before <paramref name="index"/>, or null when there is none.</summary>
    (long Index, ClusterConfiguration Configuration)? LastConfigurationAtOrBefore(long index);

    /// <summary>
    /// Entries from <paramref name="fromIndex"/> on: at least one when <paramref name="fromIndex"/>
    /// ≤ <see cref="LastIndex"/>, then more while within <paramref name="maxEntries"/> and
    /// <paramref name="maxBytes"/> of payload.
    /// </summary>
    IReadOnlyList<ReplicatedEntry> Read(long fromIndex, int maxEntries, long maxBytes);

    /// <summary>Appends <paramref name="entry"/> at <see cref="LastIndex"/> + 1.</summary>
    /// <exception cref="ArgumentException">The host refuses the entry (for example a signature over the wrong root).</exception>
    void Append(ReplicatedEntry entry);

    /// <summary>Removes every entry after <paramref name="index"/>, durably, before returning.</summary>
    void TruncateAfter(long index);
}
