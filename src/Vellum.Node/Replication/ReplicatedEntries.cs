using System.Text;
using Vellum.Consensus;
using Vellum.Core.Entries;
using Vellum.Node.Api;

namespace Vellum.Node.Replication;

/// <summary>How a ledger entry looks to consensus: its view as the term, signatures as committable, membership records as configurations.</summary>
internal static class ReplicatedEntries
{
    private static readonly byte[] MembershipCollection = Encoding.UTF8.GetBytes(Membership.Collection);
    private static readonly byte[] ReservedPrefix = Encoding.UTF8.GetBytes(LedgerEntryInput.ReservedCollectionPrefix);

    /// <summary>Describes the stored entry <paramref name="entry"/> for consensus.</summary>
    /// <exception cref="EntryFormatException">The bytes are not a well-formed entry.</exception>
    /// <exception cref="InvalidDataException">A membership record is malformed.</exception>
    public static ReplicatedEntry Describe(ReadOnlyMemory<byte> entry) => Describe(entry, out _);

    /// <summary>
    /// Describes <paramref name="entry"/> for consensus, reading it once, and tells whether it is a
    /// service record: a public write to a collection under <see cref="LedgerEntryInput.ReservedCollectionPrefix"/>,
    /// which only the node writes.
    /// </summary>
    /// <exception cref="EntryFormatException">The bytes are not a well-formed entry.</exception>
    /// <exception cref="InvalidDataException">A membership record is malformed.</exception>
    public static ReplicatedEntry Describe(ReadOnlyMemory<byte> entry, out bool isServiceRecord)
    {
        isServiceRecord = false;
        var header = EntryCodec.ReadHeader(entry.Span);
        if (header.Kind != EntryKind.Write)
        {
            var kind = header.Kind == EntryKind.Signature ? LogEntryKind.Signature : LogEntryKind.Data;
            return new ReplicatedEntry(header.Id.View, kind, entry);
        }

        var write = EntryCodec.ReadWrite(entry.Span);
        isServiceRecord = write.CollectionId.StartsWith(ReservedPrefix);
        return MembershipIn(write) is { } membership
            ? new ReplicatedEntry(header.Id.View, LogEntryKind.Configuration, entry, membership.Configuration)
            : new ReplicatedEntry(header.Id.View, LogEntryKind.Data, entry);
    }

    /// <summary>The membership an entry records, or null when it records none.</summary>
    public static Membership? ReadMembership(ReadOnlySpan<byte> entry)
        => EntryCodec.ReadHeader(entry).Kind == EntryKind.Write ? MembershipIn(EntryCodec.ReadWrite(entry)) : null;

    private static Membership? MembershipIn(in WriteEntryView write) => write.CollectionId.SequenceEqual(MembershipCollection)
        ? Membership.Parse(Encoding.UTF8.GetString(write.Contents))
        : null;
}
