using Vellum.Consensus.InMemory;

namespace Vellum.Consensus.Tests.Support;

/// <summary>Builds durable logs with a given history, for scenarios that start from divergent logs.</summary>
internal static class TestLogs
{
    /// <summary>
    /// A log of runs, each of <c>Count</c> entries in <c>Term</c>: data entries closed by a
    /// signature. Everything is durable.
    /// </summary>
    public static InMemoryRaftLog Build(params (long Term, int Count)[] runs)
    {
        var log = new InMemoryRaftLog();
        foreach (var (term, count) in runs)
        {
            for (var i = 1; i <= count; i++)
            {
                var kind = i == count ? LogEntryKind.Signature : LogEntryKind.Data;
                log.Append(new ReplicatedEntry(term, kind, new byte[] { (byte)term, (byte)i }));
            }
        }

        log.FlushNow();
        return log;
    }

    /// <summary>A hard state at <paramref name="term"/> with no vote.</summary>
    public static InMemoryHardStateStore Term(long term)
    {
        var store = new InMemoryHardStateStore();
        store.Save(new HardState(term, null));
        return store;
    }
}
