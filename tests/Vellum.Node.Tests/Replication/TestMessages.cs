using Vellum.Consensus;
using Vellum.Consensus.Messages;

namespace Vellum.Node.Tests.Replication;

/// <summary>Sample messages of every type, and a comparison that looks inside entries.</summary>
internal static class TestMessages
{
    private static readonly ReplicatedEntry[] NoEntries = [];

    public static IReadOnlyList<RaftMessage> EveryType(NodeId from, NodeId to, long term = 7) =>
    [
        new PreVoteRequest(from, to, term + 1, 41, term),
        new PreVoteResponse(from, to, term, Granted: true),
        new VoteRequest(from, to, term, 42, term - 1),
        new VoteResponse(from, to, term, Granted: false),
        new AppendEntriesRequest(from, to, term, 40, term - 1, 38, MixedEntries(from, to, term)),
        new AppendEntriesResponse(from, to, term, Success: false, 40, 39, 35, term - 2),
    ];

    /// <summary>A data, a signature and a configuration entry, the last with voters and learners.</summary>
    public static IReadOnlyList<ReplicatedEntry> MixedEntries(NodeId a, NodeId b, long term) =>
    [
        new ReplicatedEntry(term, LogEntryKind.Data, "{\"contents\":\"hello\"}"u8.ToArray()),
        new ReplicatedEntry(term, LogEntryKind.Signature, new byte[] { 1, 2, 3, 4, 5 }),
        new ReplicatedEntry(term, LogEntryKind.Configuration, ReadOnlyMemory<byte>.Empty, new ClusterConfiguration([a, b], [new NodeId("learner-1")])),
    ];

    /// <summary>An append message of <paramref name="count"/> entries of <paramref name="bytes"/> seeded random bytes each.</summary>
    public static AppendEntriesRequest LargeAppend(NodeId from, NodeId to, long prevIndex, int count, int bytes, int seed)
    {
        var random = new Random(seed);
        var entries = new ReplicatedEntry[count];
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[bytes];
            random.NextBytes(payload);
            entries[i] = new ReplicatedEntry(3, i == count - 1 ? LogEntryKind.Signature : LogEntryKind.Data, payload);
        }

        return new AppendEntriesRequest(from, to, 3, prevIndex, 3, prevIndex, entries);
    }

    public static void AssertSame(RaftMessage expected, RaftMessage actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        if (expected is AppendEntriesRequest request)
        {
            var received = (AppendEntriesRequest)actual;
            Assert.Equal(request with { Entries = NoEntries }, received with { Entries = NoEntries });
            Assert.Equal(request.Entries.Count, received.Entries.Count);
            for (var i = 0; i < request.Entries.Count; i++)
            {
                AssertSame(request.Entries[i], received.Entries[i]);
            }
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }

    public static void AssertSame(ReplicatedEntry expected, ReplicatedEntry actual)
    {
        Assert.Equal(expected.Term, actual.Term);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.True(expected.Payload.Span.SequenceEqual(actual.Payload.Span), "payload bytes differ");
        Assert.Equal(expected.Configuration, actual.Configuration);
    }

    public static void AssertSameSequence(IReadOnlyList<RaftMessage> expected, IReadOnlyList<RaftMessage> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSame(expected[i], actual[i]);
        }
    }
}
