using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Vellum.Core;

namespace Vellum.Cli.Tests.Cluster;

/// <summary>A write a node answered 200: which node, the id, and whether it was answered committed (<c>waitForCommit=true</c>).</summary>
internal sealed record AcceptedWrite(int Node, TransactionId Id, bool Committed, DateTime At);

/// <summary>A node's claim, seen by polling its state, to be primary in a view.</summary>
internal sealed record PrimaryClaim(int Node, long View);

/// <summary>
/// Writes against every node of a cluster at once, as clients that do not follow redirects: two
/// writers per node, one answered at once and one waiting for commit. A backup answers 307 and a
/// dead or cut-off node fails; the writer retries after a short pause. Every 200 is recorded with
/// the node that gave it, and a poller records every node's claims to be primary.
/// </summary>
internal sealed class ClusterLoad : IAsyncDisposable
{
    private readonly ProcessCluster _cluster;
    private readonly ConcurrentQueue<AcceptedWrite> _accepted = new();
    private readonly ConcurrentDictionary<PrimaryClaim, bool> _claims = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _workers = [];

    private ClusterLoad(ProcessCluster cluster) => _cluster = cluster;

    public IReadOnlyCollection<AcceptedWrite> Accepted => _accepted;

    public IEnumerable<AcceptedWrite> Committed => _accepted.Where(write => write.Committed);

    public IEnumerable<PrimaryClaim> Claims => _claims.Keys;

    public static ClusterLoad Start(ProcessCluster cluster)
    {
        var load = new ClusterLoad(cluster);
        foreach (var node in cluster.Nodes)
        {
            load._workers.Add(Task.Run(() => load.WriteAsync(node.Index, waitForCommit: false)));
            load._workers.Add(Task.Run(() => load.WriteAsync(node.Index, waitForCommit: true)));
        }

        load._workers.Add(Task.Run(load.PollClaimsAsync));
        return load;
    }

    /// <summary>Completes once <paramref name="count"/> more writes than now were answered committed by a node matching <paramref name="by"/>.</summary>
    public Task WaitForCommitsAsync(int count, string what, Func<AcceptedWrite, bool>? by = null)
    {
        var target = Committed.Count(write => by?.Invoke(write) ?? true) + count;
        return _cluster.WaitUntilAsync(() => Task.FromResult(Committed.Count(write => by?.Invoke(write) ?? true) >= target), what);
    }

    /// <summary>Stops every writer and the poller, and checks that no node gave an answer outside the contract.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_workers);
        Assert.True(_unexpected.IsEmpty, "Unexpected answers:\n" + string.Join("\n", _unexpected.Take(10)));
    }

    private async Task WriteAsync(int node, bool waitForCommit)
    {
        var client = _cluster.Client(node);
        var path = "/app/transactions?api-version=2024-08-22-preview" + (waitForCommit ? "&waitForCommit=true" : string.Empty);
        for (var i = 0; !_stopping.IsCancellationRequested; i++)
        {
            var contents = $"node {node} {(waitForCommit ? "committed" : "answered")} write {i}";
            using var body = new StringContent(JsonSerializer.Serialize(new { contents }), Encoding.UTF8, "application/json");
            try
            {
                using var response = await client.PostAsync(path, body, _stopping.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var id = TransactionId.Parse(response.Headers.GetValues("x-ms-ccf-transaction-id").Single());
                    _accepted.Enqueue(new AcceptedWrite(node, id, waitForCommit, DateTime.UtcNow));
                    continue;
                }

                // A backup redirects; a node without a quorum, or whose write a new primary
                // rolled back, answers 503. Anything else breaks the contract.
                if (response.StatusCode is not (HttpStatusCode.TemporaryRedirect or HttpStatusCode.ServiceUnavailable))
                {
                    _unexpected.Enqueue($"node {node}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // The node is down, cut off past the client's timeout, or the load is stopping.
            }

            await Pause();
        }
    }

    private async Task PollClaimsAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            foreach (var node in _cluster.Nodes)
            {
                if (await _cluster.StateAsync(node.Index) is { Primary: true } state)
                {
                    _claims.TryAdd(new PrimaryClaim(node.Index, state.View), true);
                }
            }

            await Pause();
        }
    }

    // Between retries and polls; the load ends when stopped, never after a fixed time.
    private async Task Pause()
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _stopping.Token);
        }
        catch (TaskCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
            await Task.WhenAll(_workers);
        }

        _stopping.Dispose();
    }
}
