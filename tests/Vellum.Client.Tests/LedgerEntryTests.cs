using Vellum.Client.Tests.Support;
using Vellum.Core;

namespace Vellum.Client.Tests;

/// <summary>Appending, reading, listing and following entries to commit against a real node over real TLS.</summary>
public sealed class LedgerEntryTests(SmallPagesNode fixture) : IClassFixture<SmallPagesNode>
{
    [Fact]
    public async Task AnAppendedEntryIsReadBackOnceCommitted()
    {
        var client = fixture.Node.AdminClient();

        var written = await client.PostLedgerEntryAsync("first words", collectionId: "reads", tags: ["greeting", "test"]);
        var entry = await client.GetLedgerEntryAsync(written.TransactionId, "reads");

        Assert.Equal("reads", written.CollectionId);
        Assert.False(written.Committed);
        Assert.Equal(new LedgerEntry(written.TransactionId, "reads", "first words", entry.Tags), entry);
        Assert.Equal(["greeting", "test"], entry.Tags);
        Assert.Equal(TransactionState.Committed, (await client.GetTransactionStatusAsync(written.TransactionId)).State);
    }

    [Fact]
    public async Task AnAppendThatWaitsForCommitIsCommittedWhenItReturns()
    {
        var client = fixture.Node.AdminClient();

        var written = await client.PostLedgerEntryAsync("durable", waitForCommit: true);
        var status = await client.GetTransactionStatusAsync(written.TransactionId);

        Assert.True(written.Committed);
        Assert.Equal(LedgerClient.DefaultCollectionId, written.CollectionId);
        Assert.Equal(new TransactionStatus(written.TransactionId, TransactionState.Committed), status);
    }

    [Fact]
    public async Task ABatchIsAppendedInOrderAndCommittedWhenItWaits()
    {
        var client = fixture.Node.AdminClient();

        var written = await client.PostLedgerEntriesAsync([new("first"), new("second", "batched", ["t"])], waitForCommit: true);

        Assert.Equal([LedgerClient.DefaultCollectionId, "batched"], written.Select(result => result.CollectionId));
        Assert.True(written[1].TransactionId.Seqno > written[0].TransactionId.Seqno);
        Assert.All(written, result => Assert.True(result.Committed));
        Assert.Equal("second", (await client.GetLedgerEntryAsync(written[1].TransactionId, "batched")).Contents);
        Assert.Equal(["t"], (await client.GetLedgerEntryAsync(written[1].TransactionId, "batched")).Tags);
        await Assert.ThrowsAsync<ArgumentException>(() => client.PostLedgerEntriesAsync([]));
    }

    [Fact]
    public async Task WaitForCommitReturnsOnceTheStatusIsCommitted()
    {
        var client = fixture.Node.AdminClient();
        var written = await client.PostLedgerEntryAsync("followed");

        await client.WaitForCommitAsync(written.TransactionId);

        Assert.Equal(TransactionState.Committed, (await client.GetTransactionStatusAsync(written.TransactionId)).State);
    }

    [Fact]
    public async Task ListingFollowsNextLinkAcrossPagesInOrder()
    {
        var client = fixture.Node.AdminClient();
        var written = new List<TransactionId>();
        for (var i = 0; i < (SmallPagesNode.PageSize * 2) + 2; i++)
        {
            written.Add((await client.PostLedgerEntryAsync($"paged {i}", "paged", waitForCommit: true)).TransactionId);
        }

        var listed = await client.GetLedgerEntriesAsync("paged").ToListAsync();

        Assert.Equal(written, listed.Select(entry => entry.TransactionId));
        Assert.Equal(Enumerable.Range(0, written.Count).Select(i => $"paged {i}"), listed.Select(entry => entry.Contents));
        Assert.All(listed, entry => Assert.Equal("paged", entry.CollectionId));
    }

    [Fact]
    public async Task ListingHonoursTheRangeAndTheTag()
    {
        var client = fixture.Node.AdminClient();
        var ids = new List<TransactionId>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.PostLedgerEntryAsync($"ranged {i}", "ranged", tags: i % 2 == 0 ? ["even"] : null, waitForCommit: true)).TransactionId);
        }

        var range = await client.GetLedgerEntriesAsync("ranged", fromTransactionId: ids[1], toTransactionId: ids[3]).ToListAsync();
        var even = await client.GetLedgerEntriesAsync("ranged", tag: "even").ToListAsync();

        Assert.Equal(ids[1..4], range.Select(entry => entry.TransactionId));
        Assert.Equal(["ranged 0", "ranged 2", "ranged 4"], even.Select(entry => entry.Contents));
    }

    [Fact]
    public async Task TheCurrentEntryIsTheLatestOfItsCollectionAndCollectionsAreListed()
    {
        var client = fixture.Node.AdminClient();
        await client.PostLedgerEntryAsync("older", "current", waitForCommit: true);
        var latest = await client.PostLedgerEntryAsync("newer", "current", waitForCommit: true);

        var current = await client.GetCurrentLedgerEntryAsync("current");
        var collections = await client.GetCollectionsAsync();

        Assert.Equal(latest.TransactionId, current.TransactionId);
        Assert.Equal("newer", current.Contents);
        Assert.Contains("current", collections);
    }

    [Fact]
    public async Task AnUnknownTransactionSurfacesTheServiceErrorWithItsStatusAndCode()
    {
        var client = fixture.Node.AdminClient();

        var error = await Assert.ThrowsAsync<LedgerRequestException>(() => client.GetTransactionStatusAsync(new TransactionId(1, 1_000_000)));

        Assert.Equal(404, error.Status);
        Assert.Equal("InvalidTransactionId", error.ErrorCode);
        Assert.False(string.IsNullOrEmpty(error.ErrorMessage));
    }

    [Fact]
    public async Task AnEmptyCollectionHasNoCurrentEntry()
    {
        var client = fixture.Node.AdminClient();

        var error = await Assert.ThrowsAsync<LedgerRequestException>(() => client.GetCurrentLedgerEntryAsync("never written"));

        Assert.Equal(404, error.Status);
        Assert.Equal("EntryNotFound", error.ErrorCode);
    }
}
