using Vellum.Consensus;
using Vellum.Core.Entries;
using Vellum.Storage;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Replication;

/// <summary>
/// The consensus log over the ledger: a seqno is an index, a view is a term. Appends go to the
/// ledger's write-behind buffer and become durable with its group commit; truncation is durable
/// before it returns. Consensus calls it under the replica's lock, so the blocking waits here
/// (rare: a full write buffer, a truncation) hold up consensus, which is the back-pressure wanted.
/// On a ledger recovered from a backup, membership records up to <paramref name="configurationFloor"/>
/// name the lost service's nodes and are not configurations: the recovered node leads alone until
/// it records its own membership.
/// </summary>
internal sealed class LedgerRaftLog(Ledger ledger, long configurationFloor = 0) : IRaftLog
{
    /// <summary>
    /// Raised after a service record (a public write to a reserved <c>vellum:</c> collection) is
    /// appended, with its seqno and bytes: the node applies its access, membership, governance and
    /// secret records here. Application writes and signatures do not raise it, so that the
    /// appliers never read them.
    /// </summary>
    public event Action<long, ReadOnlyMemory<byte>>? ServiceRecordAppended;

    /// <summary>Raised after the log is truncated, with the last seqno kept.</summary>
    public event Action<long>? Truncated;

    /// <summary>The last seqno whose membership records describe a service lost before a recovery; 0 for a ledger never recovered.</summary>
    public long ConfigurationFloor => configurationFloor;

    public long LastIndex => ledger.LastSeqno;

    public long DurableIndex => ledger.DurableSeqno;

    public long TermAt(long index) => ledger.ViewAt(index);

    public long LastSignatureAtOrBefore(long index) => ledger.LastSignatureAtOrBefore(index);

    public (long Index, ClusterConfiguration Configuration)? LastConfigurationAtOrBefore(long index)
    {
        if (ledger.FindLastByKey(IndexKey.Collection(Membership.Collection), index) is not { } seqno || seqno <= configurationFloor)
        {
            return null;
        }

        var membership = ReplicatedEntries.ReadMembership(ledger.ReadEntry(seqno))
            ?? throw new InvalidDataException($"The index lists entry {seqno} as a membership record, but it is not one.");
        return (seqno, membership.Configuration);
    }

    public IReadOnlyList<ReplicatedEntry> Read(long fromIndex, int maxEntries, long maxBytes)
    {
        var entries = new List<ReplicatedEntry>();
        long bytes = 0;
        for (var seqno = fromIndex; seqno <= ledger.LastSeqno && entries.Count < maxEntries; seqno++)
        {
            var entry = ledger.ReadEntry(seqno);
            if (entries.Count > 0 && bytes + entry.Length > maxBytes)
            {
                break;
            }

            bytes += entry.Length;
            entries.Add(ReplicatedEntries.Describe(entry));
        }

        return entries;
    }

    public void Append(ReplicatedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var described = ReplicatedEntries.Describe(entry.Payload, out var isServiceRecord);
        if (described.Term != entry.Term || described.Kind != entry.Kind || !Equals(described.Configuration, entry.Configuration))
        {
            throw new ArgumentException($"Entry {EntryCodec.ReadHeader(entry.Payload.Span).Id} is described as a {entry.Kind} entry in term {entry.Term}, but its bytes say otherwise.", nameof(entry));
        }

        // The ledger buffers the entry at once unless its write buffer is full; then this waits.
        var pending = ledger.AppendAsync(entry.Payload);
        var seqno = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (isServiceRecord)
        {
            ServiceRecordAppended?.Invoke(seqno, entry.Payload);
        }
    }

    public void TruncateAfter(long index)
    {
        ledger.TruncateAfterAsync(index).GetAwaiter().GetResult();
        Truncated?.Invoke(index);
    }
}
