using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Core;

namespace Vellum.Node.Replication;

/// <summary>
/// The replication wire format: one frame per message, little-endian throughout.
/// <code>
/// frame    = length:u32  version:u8  type:u8  body        (length counts the bytes after itself)
/// id       = n:u8 (1..255)  UTF-8 bytes[n]                 (no whitespace or control characters)
/// raft     = from:id  to:id  term:i64
/// 1 hello                 = from:id  to:id
/// 2 pre-vote request      = raft  lastCommittableIndex:i64  lastCommittableTerm:i64
/// 3 pre-vote response     = raft  granted:u8
/// 4 vote request          = raft  lastCommittableIndex:i64  lastCommittableTerm:i64
/// 5 vote response         = raft  granted:u8
/// 6 append-entries request  = raft  prevIndex:i64  prevTerm:i64  leaderCommit:i64  count:u32  entry[count]
/// 7 append-entries response = raft  success:u8  matchIndex:i64  durableIndex:i64  hintIndex:i64  hintTerm:i64
/// entry    = term:i64  kind:u8 (0 data, 1 signature, 2 configuration)  n:u32  payload[n]  [members if kind = 2]
/// members  = voters:u16  id[voters]  learners:u16  id[learners]     (each list in ascending ordinal order, disjoint)
/// </code>
/// Terms and indexes are never negative, flags are 0 or 1, and nothing may follow the body.
/// </summary>
public static class RaftMessageCodec
{
    /// <summary>The format version this codec writes and the only one it reads.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The size of a frame's length prefix.</summary>
    public const int LengthPrefixBytes = 4;

    /// <summary>The default bound on a whole frame, prefix included: room for a batch of entries up to the largest request body many times over.</summary>
    public const int DefaultMaxFrameBytes = 64 * 1024 * 1024;

    /// <summary>The smallest possible frame, prefix included: the header of a hello with one-byte ids.</summary>
    private const int MinimumFrameBytes = FrameLayout.HeaderBytes + (2 * FrameLayout.MinimumNodeIdBytes);

    /// <summary>The whole frame, prefix included, that <paramref name="message"/> encodes to.</summary>
    /// <exception cref="ArgumentException">The message cannot be encoded; see <see cref="Encode"/>.</exception>
    public static long GetFrameLength(RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return FrameLayout.FrameBytes(message);
    }

    /// <summary>Writes <paramref name="message"/> as one frame into <paramref name="destination"/>, asking it for one span of exactly the frame's size.</summary>
    /// <returns>The frame's length, prefix included.</returns>
    /// <exception cref="ArgumentException">A node id is empty, longer than 255 UTF-8 bytes or contains whitespace; a term or index is negative; an entry fails <see cref="ReplicatedEntry.Validate"/>; or the frame would exceed <paramref name="maxFrameBytes"/>.</exception>
    public static int Encode(RaftMessage message, IBufferWriter<byte> destination, int maxFrameBytes = DefaultMaxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var length = RequireWithinBound(GetFrameLength(message), maxFrameBytes);
        var writer = new FrameSpanWriter(destination.GetSpan(length)[..length]);
        WriteHeader(ref writer, length, TypeOf(message));
        writer.WriteNodeId(message.From);
        writer.WriteNodeId(message.To);
        writer.WriteInt64(message.Term);
        WriteBody(ref writer, message);
        Invariant.Check(writer.Position == length, "a frame fills exactly the length computed for it");
        destination.Advance(length);
        return length;
    }

    /// <summary>
    /// Reads the length prefix at the start of a frame and returns the length of the whole frame,
    /// prefix included, so a reader knows how many bytes to wait for before it has them all.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is shorter than <see cref="LengthPrefixBytes"/>.</exception>
    /// <exception cref="MalformedFrameException">The frame would be larger than <paramref name="maxFrameBytes"/> or too short to hold any message.</exception>
    public static int ReadFrameLength(ReadOnlySpan<byte> prefix, int maxFrameBytes = DefaultMaxFrameBytes)
    {
        if (prefix.Length < LengthPrefixBytes)
        {
            throw new ArgumentException($"A length prefix is {LengthPrefixBytes} bytes.", nameof(prefix));
        }

        var length = (long)BinaryPrimitives.ReadUInt32LittleEndian(prefix) + LengthPrefixBytes;
        if (length > maxFrameBytes)
        {
            throw new MalformedFrameException($"The frame is {length} bytes, more than the limit of {maxFrameBytes}.");
        }

        return length >= MinimumFrameBytes
            ? (int)length
            : throw new MalformedFrameException($"The frame is {length} bytes, too short for any message.");
    }

    /// <summary>
    /// Decodes one whole frame, prefix included. Entry payloads are slices of
    /// <paramref name="frame"/>, not copies: the message borrows its memory, so the caller must not
    /// reuse or return that memory while the message is in use (give each frame its own buffer).
    /// </summary>
    /// <exception cref="MalformedFrameException">The frame is truncated, too large, of another version, not a Raft message, has a field out of range, or has bytes after its body.</exception>
    public static RaftMessage Decode(ReadOnlyMemory<byte> frame, int maxFrameBytes = DefaultMaxFrameBytes)
    {
        var reader = OpenFrame(frame.Span, maxFrameBytes, out var type);
        if (type == WireMessageType.Hello)
        {
            throw new MalformedFrameException("A hello is only valid as the first frame on a connection.");
        }

        var from = reader.ReadNodeId("sender id");
        var to = reader.ReadNodeId("receiver id");
        var term = reader.ReadNonNegativeInt64("term");
        RaftMessage message = type switch
        {
            WireMessageType.PreVoteRequest => new PreVoteRequest(from, to, term, reader.ReadNonNegativeInt64("last committable index"), reader.ReadNonNegativeInt64("last committable term")),
            WireMessageType.PreVoteResponse => new PreVoteResponse(from, to, term, reader.ReadBoolean("granted")),
            WireMessageType.VoteRequest => new VoteRequest(from, to, term, reader.ReadNonNegativeInt64("last committable index"), reader.ReadNonNegativeInt64("last committable term")),
            WireMessageType.VoteResponse => new VoteResponse(from, to, term, reader.ReadBoolean("granted")),
            WireMessageType.AppendEntriesRequest => ReadAppendEntriesRequest(ref reader, frame, from, to, term),
            WireMessageType.AppendEntriesResponse => ReadAppendEntriesResponse(ref reader, from, to, term),
            _ => throw new MalformedFrameException($"The message type {type} has no decoder."),
        };
        reader.RequireEnd($"{type} message");
        return message;
    }

    /// <summary>Writes a hello frame.</summary>
    internal static int EncodeHello(PeerHello hello, IBufferWriter<byte> destination)
    {
        var length = FrameLayout.HelloBytes(hello);
        var writer = new FrameSpanWriter(destination.GetSpan(length)[..length]);
        WriteHeader(ref writer, length, WireMessageType.Hello);
        writer.WriteNodeId(hello.From);
        writer.WriteNodeId(hello.To);
        Invariant.Check(writer.Position == length, "a hello fills exactly the length computed for it");
        destination.Advance(length);
        return length;
    }

    /// <summary>Decodes a hello frame.</summary>
    /// <exception cref="MalformedFrameException">The frame is not a well-formed hello.</exception>
    internal static PeerHello DecodeHello(ReadOnlySpan<byte> frame, int maxFrameBytes)
    {
        var reader = OpenFrame(frame, maxFrameBytes, out var type);
        if (type != WireMessageType.Hello)
        {
            throw new MalformedFrameException($"The first frame on a connection must be a hello, not a {type} message.");
        }

        var hello = new PeerHello(reader.ReadNodeId("caller id"), reader.ReadNodeId("callee id"));
        reader.RequireEnd("hello");
        return hello;
    }

    private static FrameSpanReader OpenFrame(ReadOnlySpan<byte> frame, int maxFrameBytes, out WireMessageType type)
    {
        if (frame.Length < LengthPrefixBytes)
        {
            throw new MalformedFrameException($"The frame is {frame.Length} bytes, shorter than its length prefix.");
        }

        var length = ReadFrameLength(frame, maxFrameBytes);
        if (length != frame.Length)
        {
            throw new MalformedFrameException($"The length prefix says {length} bytes but the frame has {frame.Length}.");
        }

        var reader = new FrameSpanReader(frame, LengthPrefixBytes);
        var version = reader.ReadByte("version");
        if (version != FormatVersion)
        {
            throw new MalformedFrameException($"The frame is of format version {version}; this node reads version {FormatVersion}.");
        }

        var typeByte = reader.ReadByte("message type");
        type = (WireMessageType)typeByte;
        return Enum.IsDefined(type) ? reader : throw new MalformedFrameException($"The message type {typeByte} is unknown.");
    }

    private static AppendEntriesRequest ReadAppendEntriesRequest(ref FrameSpanReader reader, ReadOnlyMemory<byte> frame, NodeId from, NodeId to, long term)
    {
        var prevIndex = reader.ReadNonNegativeInt64("previous index");
        var prevTerm = reader.ReadNonNegativeInt64("previous term");
        var leaderCommit = reader.ReadNonNegativeInt64("leader commit");
        var count = reader.ReadCount(reader.ReadUInt32("entry count"), FrameLayout.MinimumEntryBytes, "entries");
        var entries = new ReplicatedEntry[count];
        for (var i = 0; i < count; i++)
        {
            entries[i] = ReadEntry(ref reader, frame);
        }

        return new AppendEntriesRequest(from, to, term, prevIndex, prevTerm, leaderCommit, entries);
    }

    private static ReplicatedEntry ReadEntry(ref FrameSpanReader reader, ReadOnlyMemory<byte> frame)
    {
        var term = reader.ReadNonNegativeInt64("entry term");
        if (term == 0)
        {
            throw new MalformedFrameException("An entry's term is 0; entries are proposed in term 1 or later.");
        }

        var kind = reader.ReadByte("entry kind") switch
        {
            0 => LogEntryKind.Data,
            1 => LogEntryKind.Signature,
            2 => LogEntryKind.Configuration,
            var other => throw new MalformedFrameException($"The entry kind {other} is unknown."),
        };
        var payloadLength = reader.ReadUInt32("payload length");
        var payload = frame.Slice(reader.Skip(payloadLength, "payload"), payloadLength);
        var configuration = kind == LogEntryKind.Configuration ? ReadConfiguration(ref reader) : null;
        return new ReplicatedEntry(term, kind, payload, configuration);
    }

    private static ClusterConfiguration ReadConfiguration(ref FrameSpanReader reader)
    {
        var voters = ReadMembers(ref reader, "voters");
        var learners = ReadMembers(ref reader, "learners");
        foreach (var learner in learners)
        {
            if (Array.BinarySearch(voters, learner) >= 0)
            {
                throw new MalformedFrameException($"The node {learner} is listed as both a voter and a learner.");
            }
        }

        return new ClusterConfiguration(voters, learners);
    }

    // The lists are sorted and free of duplicates on the wire, so each configuration has exactly
    // one encoding and a receiver need not guess what a repeated id meant.
    private static NodeId[] ReadMembers(ref FrameSpanReader reader, string field)
    {
        var count = reader.ReadCount(reader.ReadUInt16($"{field} count"), FrameLayout.MinimumNodeIdBytes, field);
        var members = new NodeId[count];
        for (var i = 0; i < count; i++)
        {
            members[i] = reader.ReadNodeId(field);
            if (i > 0 && members[i - 1] >= members[i])
            {
                throw new MalformedFrameException($"The {field} are not in strictly ascending order.");
            }
        }

        return members;
    }

    private static AppendEntriesResponse ReadAppendEntriesResponse(ref FrameSpanReader reader, NodeId from, NodeId to, long term) =>
        new(
            from,
            to,
            term,
            reader.ReadBoolean("success"),
            reader.ReadNonNegativeInt64("match index"),
            reader.ReadNonNegativeInt64("durable index"),
            reader.ReadNonNegativeInt64("hint index"),
            reader.ReadNonNegativeInt64("hint term"));

    private static void WriteHeader(ref FrameSpanWriter writer, int length, WireMessageType type)
    {
        writer.WriteUInt32(length - LengthPrefixBytes);
        writer.WriteByte(FormatVersion);
        writer.WriteByte((byte)type);
    }

    private static void WriteBody(ref FrameSpanWriter writer, RaftMessage message)
    {
        switch (message)
        {
            case PreVoteRequest request:
                WriteIndexAndTerm(ref writer, request.LastCommittableIndex, request.LastCommittableTerm);
                break;
            case VoteRequest request:
                WriteIndexAndTerm(ref writer, request.LastCommittableIndex, request.LastCommittableTerm);
                break;
            case PreVoteResponse response:
                writer.WriteBoolean(response.Granted);
                break;
            case VoteResponse response:
                writer.WriteBoolean(response.Granted);
                break;
            case AppendEntriesRequest request:
                WriteAppendEntriesRequest(ref writer, request);
                break;
            case AppendEntriesResponse response:
                writer.WriteBoolean(response.Success);
                WriteNonNegative(ref writer, response.MatchIndex, "match index");
                WriteNonNegative(ref writer, response.DurableIndex, "durable index");
                WriteIndexAndTerm(ref writer, response.HintIndex, response.HintTerm);
                break;
        }
    }

    private static void WriteAppendEntriesRequest(ref FrameSpanWriter writer, AppendEntriesRequest request)
    {
        WriteIndexAndTerm(ref writer, request.PrevIndex, request.PrevTerm);
        WriteNonNegative(ref writer, request.LeaderCommit, "leader commit");
        writer.WriteUInt32(request.Entries.Count);
        foreach (var entry in request.Entries)
        {
            writer.WriteInt64(entry.Term);
            writer.WriteByte(entry.Kind switch
            {
                LogEntryKind.Data => 0,
                LogEntryKind.Signature => 1,
                LogEntryKind.Configuration => 2,
                _ => throw new ArgumentException($"The entry kind {entry.Kind} has no wire encoding.", nameof(request)),
            });
            writer.WriteUInt32(entry.Payload.Length);
            writer.WriteBytes(entry.Payload.Span);
            if (entry.Configuration is { } configuration)
            {
                WriteMembers(ref writer, configuration.Voters);
                WriteMembers(ref writer, configuration.Learners);
            }
        }
    }

    private static void WriteMembers(ref FrameSpanWriter writer, ImmutableSortedSet<NodeId> members)
    {
        writer.WriteUInt16(members.Count);
        foreach (var member in members)
        {
            writer.WriteNodeId(member);
        }
    }

    private static void WriteIndexAndTerm(ref FrameSpanWriter writer, long index, long term)
    {
        WriteNonNegative(ref writer, index, "index");
        WriteNonNegative(ref writer, term, "term");
    }

    // FrameLayout has checked every value before the span was taken; the check here keeps a
    // change to one of the two from writing a negative number unnoticed.
    private static void WriteNonNegative(ref FrameSpanWriter writer, long value, string field)
    {
        Invariant.Check(value >= 0, $"the {field} was checked to be non-negative before encoding");
        writer.WriteInt64(value);
    }

    private static int RequireWithinBound(long length, int maxFrameBytes) =>
        length <= maxFrameBytes
            ? (int)length
            : throw new ArgumentException($"The message encodes to {length} bytes, more than the frame limit of {maxFrameBytes}; send fewer or smaller entries per message.");

    private static WireMessageType TypeOf(RaftMessage message) => message switch
    {
        PreVoteRequest => WireMessageType.PreVoteRequest,
        PreVoteResponse => WireMessageType.PreVoteResponse,
        VoteRequest => WireMessageType.VoteRequest,
        VoteResponse => WireMessageType.VoteResponse,
        AppendEntriesRequest => WireMessageType.AppendEntriesRequest,
        AppendEntriesResponse => WireMessageType.AppendEntriesResponse,
        _ => throw new ArgumentException($"The message type {message.GetType().Name} has no wire encoding.", nameof(message)),
    };
}
