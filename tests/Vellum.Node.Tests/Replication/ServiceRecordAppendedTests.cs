using System.Text;
using Vellum.Consensus;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Node.Replication;
using Vellum.Node.Tests.Support;
using Vellum.Storage;

namespace Vellum.Node.Tests.Replication;

/// <summary>The consensus log hands the node's record appliers its own records only, never an application's writes.</summary>
public sealed class ServiceRecordAppendedTests
{
    [Fact]
    public async Task OnlyPublicWritesToReservedCollectionsAreHandedToTheAppliersWithTheirBytes()
    {
        using var folder = new TemporaryDirectory();
        await using var ledger = await Ledger.OpenAsync(new LedgerOptions { Directory = folder.Path });
        var log = new LedgerRaftLog(ledger);
        var raised = new List<(long Seqno, byte[] Entry)>();
        log.ServiceRecordAppended += (seqno, entry) => raised.Add((seqno, entry.ToArray()));
        var collections = new[] { "subledger:0", "vellum:access", "vellum", "orders", "vellum:gov", "Vellum:access" };

        var entries = new List<byte[]>();
        for (var i = 0; i < collections.Length; i++)
        {
            var header = new EntryHeader(EntryKind.Write, new TransactionId(1, i + 1), Sha256Hash.Zero, Sha256Hash.Zero);
            entries.Add(EntryCodec.EncodeWrite(header, collections[i], [], Encoding.UTF8.GetBytes($"entry {i}")));
            log.Append(new ReplicatedEntry(1, LogEntryKind.Data, entries[^1]));
        }

        Assert.Equal([2L, 5L], raised.Select(record => record.Seqno));
        Assert.Equal(entries[1], raised[0].Entry);
        Assert.Equal(entries[4], raised[1].Entry);
        Assert.Equal(collections.Length, ledger.LastSeqno);
    }
}
