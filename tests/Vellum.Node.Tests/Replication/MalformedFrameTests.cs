using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Node.Replication;

namespace Vellum.Node.Tests.Replication;

/// <summary>Whatever bytes arrive, decoding either yields a message or throws <see cref="MalformedFrameException"/>.</summary>
public class MalformedFrameTests
{
    private static readonly NodeId A = new("a");
    private static readonly NodeId B = new("b");

    public static TheoryData<string> MessageTypes => new()
    {
        nameof(PreVoteRequest),
        nameof(PreVoteResponse),
        nameof(VoteRequest),
        nameof(VoteResponse),
        nameof(AppendEntriesRequest),
        nameof(AppendEntriesResponse),
    };

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void EveryTruncationIsMalformed(string type)
    {
        var frame = RaftMessageCodecTests.Encode(TestMessages.EveryType(A, B).Single(m => m.GetType().Name == type));

        for (var length = 0; length < frame.Length; length++)
        {
            // As cut, the prefix no longer matches; with the prefix rewritten, the decoder reads on into the cut.
            Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame.AsMemory(0, length)));
            Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(FrameBuilder.Cut(frame, length)));
        }
    }

    [Fact]
    public void RandomCorruptionNeverThrowsAnythingButMalformedFrame()
    {
        var random = new Random(20260101);
        var originals = TestMessages.EveryType(A, B).Select(RaftMessageCodecTests.Encode).ToList();
        var malformed = 0;

        for (var round = 0; round < 20_000; round++)
        {
            var frame = (byte[])originals[random.Next(originals.Count)].Clone();
            for (var flips = random.Next(1, 5); flips > 0; flips--)
            {
                frame[random.Next(frame.Length)] = (byte)random.Next(256);
            }

            try
            {
                RaftMessageCodec.Decode(frame);
            }
            catch (MalformedFrameException)
            {
                malformed++;
            }
        }

        // Most corruptions hit a length, a count, a flag or an id and are caught; the rest decode to other values.
        Assert.InRange(malformed, 1, 20_000);
    }

    [Fact]
    public void LengthPrefixOverTheLimitIsMalformedBeforeTheBodyIsRead()
    {
        byte[] prefix = [0xFF, 0xFF, 0xFF, 0xFF];

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.ReadFrameLength(prefix));
        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.ReadFrameLength(RaftMessageCodecTests.Encode(new VoteResponse(A, B, 1, true)), maxFrameBytes: 10));
    }

    [Fact]
    public void LengthPrefixTooShortForAnyMessageIsMalformed()
    {
        byte[] prefix = [1, 0, 0, 0];

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.ReadFrameLength(prefix));
    }

    [Fact]
    public void FrameLongerThanItsPrefixIsMalformed()
    {
        var frame = RaftMessageCodecTests.Encode(new VoteResponse(A, B, 1, true));

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame.Concat(new byte[] { 0 }).ToArray()));
    }

    [Fact]
    public void BytesAfterTheBodyAreMalformed()
    {
        var frame = new FrameBuilder(type: 5).Id("a").Id("b").I64(1).U8(1).U8(0).Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void UnknownVersionIsMalformed(byte version)
    {
        var frame = new FrameBuilder(type: 5, version).Id("a").Id("b").I64(1).U8(1).Build();

        var error = Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
        Assert.Contains("version", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(200)]
    public void UnknownMessageTypeIsMalformed(byte type)
    {
        var frame = new FrameBuilder(type).Id("a").Id("b").I64(1).U8(1).Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    [Fact]
    public void FlagOtherThanZeroOrOneIsMalformed()
    {
        var frame = new FrameBuilder(type: 3).Id("a").Id("b").I64(1).U8(2).Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    [Fact]
    public void NegativeTermOrIndexIsMalformed()
    {
        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(new FrameBuilder(type: 5).Id("a").Id("b").I64(-1).U8(1).Build()));
        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(new FrameBuilder(type: 4).Id("a").Id("b").I64(1).I64(long.MinValue).I64(0).Build()));
    }

    [Theory]
    [InlineData(uint.MaxValue)]
    [InlineData(int.MaxValue)]
    [InlineData(1_000_000u)]
    public void EntryCountTheFrameCannotHoldIsMalformedWithoutAllocatingForIt(uint count)
    {
        var frame = AppendHeader().U32(count).I64(1).U8(0).U32(0).Build();

        var error = Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
        Assert.Contains("entr", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(uint.MaxValue)]
    [InlineData(100u)]
    public void PayloadLengthBeyondTheFrameIsMalformed(uint length)
    {
        var frame = AppendHeader().U32(1).I64(1).U8(0).U32(length).Bytes([1, 2, 3]).Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    [Fact]
    public void EntryInTermZeroIsMalformed()
    {
        var frame = AppendHeader().U32(1).I64(0).U8(0).U32(0).Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    [Fact]
    public void UnknownEntryKindIsMalformed()
    {
        var frame = AppendHeader().U32(1).I64(1).U8(3).U32(0).Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    [Fact]
    public void MemberCountTheFrameCannotHoldIsMalformed()
    {
        var frame = AppendHeader().U32(1).I64(1).U8(2).U32(0).U16(ushort.MaxValue).Id("a").U16(0).Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    [Theory]
    [InlineData("b", "a")]
    [InlineData("a", "a")]
    public void VotersOutOfOrderOrRepeatedAreMalformed(string first, string second)
    {
        var frame = AppendHeader().U32(1).I64(1).U8(2).U32(0).U16(2).Id(first).Id(second).U16(0).Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    [Fact]
    public void NodeBothVoterAndLearnerIsMalformed()
    {
        var frame = AppendHeader().U32(1).I64(1).U8(2).U32(0).U16(2).Id("a").Id("b").U16(1).Id("b").Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { (byte)'a', (byte)' ', (byte)'b' })]
    [InlineData(new byte[] { (byte)'a', 0x00 })]
    [InlineData(new byte[] { (byte)'\n' })]
    public void SenderIdThatIsEmptyNotUtf8OrHasWhitespaceIsMalformed(byte[] id)
    {
        var frame = new FrameBuilder(type: 5).IdBytes(id).Id("b").I64(1).U8(1).Build();

        Assert.Throws<MalformedFrameException>(() => RaftMessageCodec.Decode(frame));
    }

    private static FrameBuilder AppendHeader() => new FrameBuilder(type: 6).Id("a").Id("b").I64(1).I64(0).I64(0).I64(0);
}
