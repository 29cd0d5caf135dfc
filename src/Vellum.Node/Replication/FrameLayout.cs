using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using Vellum.Consensus;
using Vellum.Consensus.Messages;

namespace Vellum.Node.Replication;

/// <summary>
/// The sizes of the wire format's parts, computed before encoding so a frame is written into one
/// exactly sized span. See <see cref="RaftMessageCodec"/> for the layout itself.
/// </summary>
internal static class FrameLayout
{
    /// <summary>The length prefix, the version and the message type.</summary>
    public const int HeaderBytes = RaftMessageCodec.LengthPrefixBytes + 2;

    /// <summary>The smallest entry: term, kind and payload length with an empty payload.</summary>
    public const int MinimumEntryBytes = 8 + 1 + 4;

    /// <summary>The smallest node id: its length byte and one byte of text.</summary>
    public const int MinimumNodeIdBytes = 2;

    /// <summary>The longest node id in UTF-8 bytes: its length is one byte.</summary>
    public const int MaxNodeIdBytes = byte.MaxValue;

    /// <summary>The largest hello: a header and two ids of the greatest length.</summary>
    public const int MaxHelloBytes = HeaderBytes + (2 * (1 + MaxNodeIdBytes));

    /// <summary>The whole frame, prefix included, for <paramref name="message"/>.</summary>
    /// <exception cref="ArgumentException">A field cannot be encoded: a node id is empty, too long or has whitespace, a term or index is negative, or an entry is invalid.</exception>
    public static long FrameBytes(RaftMessage message)
    {
        RequireNonNegative(message.Term, "term");
        long common = HeaderBytes + NodeIdField(message.From) + NodeIdField(message.To) + 8;
        return message switch
        {
            PreVoteRequest request => common + Int64(request.LastCommittableIndex) + Int64(request.LastCommittableTerm),
            VoteRequest request => common + Int64(request.LastCommittableIndex) + Int64(request.LastCommittableTerm),
            PreVoteResponse or VoteResponse => common + 1,
            AppendEntriesRequest request => common + Int64(request.PrevIndex) + Int64(request.PrevTerm) + Int64(request.LeaderCommit) + 4 + EntriesBytes(request.Entries),
            AppendEntriesResponse response => common + 1 + Int64(response.MatchIndex) + Int64(response.DurableIndex) + Int64(response.HintIndex) + Int64(response.HintTerm),
            _ => throw new ArgumentException($"The message type {message.GetType().Name} has no wire encoding.", nameof(message)),
        };
    }

    /// <summary>The whole frame, prefix included, for a hello.</summary>
    public static int HelloBytes(PeerHello hello) => HeaderBytes + NodeIdField(hello.From) + NodeIdField(hello.To);

    /// <summary>The UTF-8 length of a node id, which is checked on the way.</summary>
    /// <exception cref="ArgumentException">The id is empty, longer than <see cref="MaxNodeIdBytes"/> or contains whitespace or control characters.</exception>
    public static int NodeIdBytes(NodeId id)
    {
        if (string.IsNullOrEmpty(id.Value))
        {
            throw new ArgumentException("A node id sent to a peer must not be empty.");
        }

        foreach (var c in id.Value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new ArgumentException($"The node id \"{id.Value}\" contains whitespace or a control character.");
            }
        }

        var bytes = Encoding.UTF8.GetByteCount(id.Value);
        return bytes <= MaxNodeIdBytes
            ? bytes
            : throw new ArgumentException($"A node id is at most {MaxNodeIdBytes} UTF-8 bytes; this one has {bytes}.");
    }

    public static void RequireNonNegative(long value, string field)
    {
        if (value < 0)
        {
            throw new ArgumentException($"The {field} {value} is negative; terms and indexes never are.");
        }
    }

    // The size of a term or index field, which is checked on the way.
    private static int Int64(long value, [CallerArgumentExpression(nameof(value))] string field = "")
    {
        RequireNonNegative(value, field);
        return 8;
    }

    private static int NodeIdField(NodeId id) => 1 + NodeIdBytes(id);

    private static long EntriesBytes(IReadOnlyList<ReplicatedEntry> entries)
    {
        long total = 0;
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            entry.Validate();
            total += MinimumEntryBytes + entry.Payload.Length;
            if (entry.Configuration is { } configuration)
            {
                total += MembersBytes(configuration.Voters) + MembersBytes(configuration.Learners);
            }
        }

        return total;
    }

    private static long MembersBytes(ImmutableSortedSet<NodeId> members)
    {
        if (members.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"A configuration lists at most {ushort.MaxValue} voters and as many learners; this one has {members.Count}.");
        }

        long total = 2;
        foreach (var member in members)
        {
            total += NodeIdField(member);
        }

        return total;
    }
}
