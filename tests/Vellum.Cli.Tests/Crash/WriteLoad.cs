using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Vellum.Core;

namespace Vellum.Cli.Tests.Crash;

/// <summary>What a client was told about one write: its id, what it posted, and whether the node reported it committed.</summary>
internal sealed record Acknowledged(TransactionId Id, string Contents, bool Committed);

/// <summary>
/// Concurrent writers against one node until it dies: a third of the writes ask to wait for commit,
/// the others are answered at once and a poller asks their status. Everything the node answered
/// is recorded; the node is killed, from outside, once a chosen number of writes was answered.
/// With <paramref name="someWaitForCommit"/> false no write waits, so more answered writes are
/// still only in the node's memory when it dies.
/// </summary>
internal sealed class WriteLoad(HttpClient client, string label, bool someWaitForCommit = true)
{
    private readonly ConcurrentDictionary<TransactionId, string> _contents = new();
    private readonly ConcurrentDictionary<TransactionId, bool> _committed = new();
    private readonly Channel<TransactionId> _unconfirmed = Channel.CreateUnbounded<TransactionId>();
    private readonly TaskCompletionSource _thresholdReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _answered;
    private int _killAfter;

    /// <summary>Writes with <paramref name="writers"/> clients; once <paramref name="killAfter"/> writes were answered, runs <paramref name="kill"/> while the load goes on.</summary>
    public async Task<IReadOnlyList<Acknowledged>> RunAsync(int writers, int killAfter, Func<Task> kill)
    {
        _killAfter = killAfter;
        var workers = Enumerable.Range(0, writers).Select(WriteUntilTheNodeDiesAsync).ToList();
        var poller = PollStatusUntilTheNodeDiesAsync();
        var reached = await Task.WhenAny(_thresholdReached.Task, Task.WhenAll(workers)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(reached == _thresholdReached.Task, $"The writers stopped before {killAfter} writes were answered.");
        await kill();
        await Task.WhenAll(workers);
        _unconfirmed.Writer.Complete();
        await poller;
        return _contents.Select(pair => new Acknowledged(pair.Key, pair.Value, _committed.ContainsKey(pair.Key))).OrderBy(a => a.Id).ToList();
    }

    private async Task WriteUntilTheNodeDiesAsync(int writer)
    {
        for (var i = 0; ; i++)
        {
            var contents = $"{label} writer {writer} write {i}";
            var waitForCommit = someWaitForCommit && (writer + i) % 3 == 0;
            var path = KillableNode.App(waitForCommit ? "/app/transactions?waitForCommit=true" : "/app/transactions");
            using var body = new StringContent(JsonSerializer.Serialize(new { contents }), Encoding.UTF8, "application/json");
            HttpResponseMessage response;
            try
            {
                response = await client.PostAsync(path, body);
            }
            catch (HttpRequestException)
            {
                // The node died with this request in flight: its outcome is unknown, and nothing was promised.
                return;
            }

            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var id = TransactionId.Parse(response.Headers.GetValues("x-ms-ccf-transaction-id").Single());
                Assert.True(_contents.TryAdd(id, contents), $"Two writes were answered with the same transaction id {id}.");
                if (waitForCommit)
                {
                    _committed[id] = true;
                }
                else
                {
                    _unconfirmed.Writer.TryWrite(id);
                }
            }

            if (Interlocked.Increment(ref _answered) == _killAfter)
            {
                _thresholdReached.TrySetResult();
            }
        }
    }

    private async Task PollStatusUntilTheNodeDiesAsync()
    {
        var reader = _unconfirmed.Reader;
        while (await reader.WaitToReadAsync())
        {
            // Only the newest unconfirmed write is asked about, so the poller keeps up with the writers.
            TransactionId newest = default;
            while (reader.TryRead(out var id))
            {
                newest = id;
            }

            try
            {
                using var response = await client.GetAsync(KillableNode.App($"/app/transactions/{newest}/status"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (status.RootElement.GetProperty("state").GetString() == "Committed")
                {
                    _committed[newest] = true;
                }
            }
            catch (HttpRequestException)
            {
                return;
            }
        }
    }
}
