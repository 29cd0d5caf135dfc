using System.Buffers;
using System.Runtime.InteropServices;
using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Node.Replication;

namespace Vellum.Node.Tests.Replication;

public class RaftMessageCodecTests
{
    private static readonly NodeId Leader = new("3f1a9c0b2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8");
    private static readonly NodeId Follower = new("follower-2");

    [Theory]
    [InlineData(nameof(PreVoteRequest))]
    [InlineData(nameof(PreVoteResponse))]
    [InlineData(nameof(VoteRequest))]
    [InlineData(nameof(VoteResponse))]
    [InlineData(nameof(AppendEntriesRequest))]
    [InlineData(nameof(AppendEntriesResponse))]
    public void EveryMessageTypeSurvivesARoundTrip(string type)
    {
        var message = TestMessages.EveryType(Leader, Follower).Single(m => m.GetType().Name == type);

        var frame = Encode(message);

        Assert.Equal(RaftMessageCodec.GetFrameLength(message), frame.Length);
        Assert.Equal(frame.Length, RaftMessageCodec.ReadFrameLength(frame));
        TestMessages.AssertSame(message, RaftMessageCodec.Decode(frame));
    }

    [Fact]
    public void ExtremeValuesSurviveARoundTrip()
    {
        RaftMessage[] messages =
        [
            new VoteRequest(Leader, Follower, long.MaxValue, long.MaxValue, 0),
            new AppendEntriesResponse(Leader, Follower, 0, true, 0, 0),
            new AppendEntriesRequest(Leader, Follower, 1, 0, 0, 0, []),
            new AppendEntriesRequest(Leader, Follower, 1, 0, 0, 0, [new ReplicatedEntry(long.MaxValue, LogEntryKind.Data, ReadOnlyMemory<byte>.Empty)]),
            new AppendEntriesRequest(Leader, Follower, 1, 0, 0, 0, [new ReplicatedEntry(1, LogEntryKind.Configuration, new byte[] { 9 }, ClusterConfiguration.Empty)]),
            new PreVoteResponse(new NodeId("ν-ό-δ-ο-ς"), new NodeId(new string('x', 255)), 3, true),
        ];

        foreach (var message in messages)
        {
            TestMessages.AssertSame(message, RaftMessageCodec.Decode(Encode(message)));
        }
    }

    [Fact]
    public void SeveralFramesAppendToOneBufferWriter()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var messages = TestMessages.EveryType(Leader, Follower);

        var lengths = messages.Select(message => RaftMessageCodec.Encode(message, buffer)).ToList();

        Assert.Equal(lengths.Sum(), buffer.WrittenCount);
        var offset = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var frame = buffer.WrittenMemory.Slice(offset, lengths[i]);
            Assert.Equal(lengths[i], RaftMessageCodec.ReadFrameLength(frame.Span));
            TestMessages.AssertSame(messages[i], RaftMessageCodec.Decode(frame));
            offset += lengths[i];
        }
    }

    [Fact]
    public void DecodedPayloadsAreSlicesOfTheFrameNotCopies()
    {
        var frame = Encode(TestMessages.LargeAppend(Leader, Follower, 10, count: 3, bytes: 1000, seed: 1));

        var decoded = (AppendEntriesRequest)RaftMessageCodec.Decode(frame);

        Assert.All(decoded.Entries, entry =>
        {
            Assert.True(MemoryMarshal.TryGetArray(entry.Payload, out var segment));
            Assert.Same(frame, segment.Array);
        });
    }

    [Fact]
    public void VoteRequestMatchesTheDocumentedLayout()
    {
        var expected = new FrameBuilder(type: 4).Id("a").Id("bc").I64(5).I64(17).I64(4).Build();

        var frame = Encode(new VoteRequest(new NodeId("a"), new NodeId("bc"), 5, 17, 4));

        Assert.Equal(expected, frame);
    }

    [Fact]
    public void AppendEntriesMatchesTheDocumentedLayout()
    {
        var configuration = new ClusterConfiguration([new NodeId("b"), new NodeId("a")], [new NodeId("c")]);
        var message = new AppendEntriesRequest(new NodeId("a"), new NodeId("b"), 2, 10, 1, 9,
        [
            new ReplicatedEntry(2, LogEntryKind.Data, new byte[] { 0xAA, 0xBB }),
            new ReplicatedEntry(2, LogEntryKind.Configuration, ReadOnlyMemory<byte>.Empty, configuration),
        ]);
        var expected = new FrameBuilder(type: 6).Id("a").Id("b").I64(2).I64(10).I64(1).I64(9).U32(2)
            .I64(2).U8(0).U32(2).Bytes([0xAA, 0xBB])
            .I64(2).U8(2).U32(0).U16(2).Id("a").Id("b").U16(1).Id("c")
            .Build();

        Assert.Equal(expected, Encode(message));
    }

    [Fact]
    public void ResponsesMatchTheDocumentedLayout()
    {
        Assert.Equal(
            new FrameBuilder(type: 3).Id("a").Id("b").I64(8).U8(1).Build(),
            Encode(new PreVoteResponse(new NodeId("a"), new NodeId("b"), 8, true)));
        Assert.Equal(
            new FrameBuilder(type: 7).Id("a").Id("b").I64(8).U8(0).I64(5).I64(4).I64(3).I64(2).Build(),
            Encode(new AppendEntriesResponse(new NodeId("a"), new NodeId("b"), 8, false, 5, 4, 3, 2)));
    }

    [Fact]
    public void HelloSurvivesARoundTripAndIsNoRaftMessage()
    {
        var buffer = new ArrayBufferWriter<byte>();
        RaftMessageCodec.EncodeHello(new PeerHello(Leader, Follower), buffer);
        var frame = buffer.WrittenMemory.ToArray();

        Assert.Equal(new PeerHello(Leader, Follower), RaftMessageCodec.DecodeHello(frame, RaftMessageCodec.DefaultMaxFrameBytes));
        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.DecodeHello(Encode(new VoteResponse(Leader, Follower, 1, true)), RaftMessageCodec.DefaultMaxFrameBytes));
    }

    [Fact]
    public void EncodingRefusesAFrameOverTheLimitWithoutWritingAnything()
    {
        var message = TestMessages.LargeAppend(Leader, Follower, 0, count: 2, bytes: 4096, seed: 2);
        var buffer = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => RaftMessageCodec.Encode(message, buffer, maxFrameBytes: 8192));
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData(null)]
    public void EncodingRefusesANodeIdThatCannotBeDecoded(string? id)
    {
        var message = new VoteResponse(new NodeId(id!), Follower, 1, true);

        Assert.Throws<ArgumentException>(() => RaftMessageCodec.Encode(message, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void EncodingRefusesANodeIdLongerThan255Bytes()
    {
        var message = new VoteResponse(new NodeId(new string('é', 128)), Follower, 1, true);

        Assert.Throws<ArgumentException>(() => RaftMessageCodec.Encode(message, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void EncodingRefusesNegativeTermsAndIndexes()
    {
        RaftMessage[] messages =
        [
            new VoteResponse(Leader, Follower, -1, true),
            new VoteRequest(Leader, Follower, 1, -5, 1),
            new AppendEntriesRequest(Leader, Follower, 1, 0, 0, -1, []),
            new AppendEntriesResponse(Leader, Follower, 1, false, 3, 2, -1, 0),
        ];

        Assert.All(messages, message => Assert.Throws<ArgumentException>(() => RaftMessageCodec.Encode(message, new ArrayBufferWriter<byte>())));
    }

    [Fact]
    public void EncodingRefusesAnInvalidEntry()
    {
        var message = new AppendEntriesRequest(Leader, Follower, 1, 0, 0, 0, [new ReplicatedEntry(1, LogEntryKind.Configuration, ReadOnlyMemory<byte>.Empty)]);

        Assert.Throws<ArgumentException>(() => RaftMessageCodec.Encode(message, new ArrayBufferWriter<byte>()));
    }

    internal static byte[] Encode(RaftMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RaftMessageCodec.Encode(message, buffer);
        return buffer.WrittenMemory.ToArray();
    }
}
