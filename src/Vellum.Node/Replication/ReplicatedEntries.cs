using System.Text;
using Vellum.Consensus;
using Vellum.Core.Entries;

namespace Vellum.Node.Replication;

/// <summary>How a ledger entry looks to consensus: its view as the term, signatures as committable, membership records as configurations.</summary>
internal static class ReplicatedEntries
{
    private static readonly byte[] MembershipCollection = Encoding.UTF8.GetBytes(Membership.Collection);

    /// <summary>Describes the stored entry <paramref name="entry"/> for consensus.</summary>
    /// <exception cref="EntryFormatException">The bytes are not a well-formed entry.</exception>
    /// <exception cref="InvalidDataException">A membership record is malformed.</exception>
    public static ReplicatedEntry Describe(ReadOnlyMemory<byte> entry)
    {
        var header = EntryCodec.ReadHeader(entry.Span);
        if (header.Kind == EntryKind.Signature)
        {
            return new ReplicatedEntry(header.Id.View, LogEntryKind.Signature, entry);
        }

        var membership = ReadMembership(entry.Span);
        return membership is null
            ? new ReplicatedEntry(header.Id.View, LogEntryKind.Data, entry)
            : new ReplicatedEntry(header.Id.View, LogEntryKind.Configuration, entry, membership.Configuration);
    }

    /// <summary>The membership an entry records, or null when it records none.</summary>
    public static Membership? ReadMembership(ReadOnlySpan<byte> entry)
    {
        if (EntryCodec.ReadHeader(entry).Kind != EntryKind.Write)
        {
            return null;
        }

        var write = EntryCodec.ReadWrite(entry);
        return write.CollectionId.SequenceEqual(MembershipCollection)
            ? Membership.Parse(Encoding.UTF8.GetString(write.Contents))
            : null;
    }
}
