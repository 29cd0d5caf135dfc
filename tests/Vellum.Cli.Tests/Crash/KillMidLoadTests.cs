using System.Net;
using System.Text;
using System.Text.Json;
using Vellum.Core;
using Vellum.Core.Receipts;
using Xunit.Abstractions;

namespace Vellum.Cli.Tests.Crash;

/// <summary>
/// <c>vellum start</c> killed with SIGKILL under concurrent writes, at several moments, and
/// restarted on the same folder: what was reported committed survives with its contents and a
/// receipt that verifies; what was only pending is either there with the posted contents or absent.
/// </summary>
public sealed class KillMidLoadTests(ITestOutputHelper output) : IDisposable
{
    private const int Writers = 8;
    private readonly TempDirectory _files = new();

    private string DataDirectory => Path.Combine(_files.Path, "data");

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task WritesReportedCommittedSurviveSigkillAndPendingOnesAreWholeOrAbsent()
    {
        // Early (the first batches in flight), then later into the load, on ledgers that already hold earlier rounds.
        int[] killAfterAnswers = [1, 60, 250];
        var committed = new List<Acknowledged>();
        var node = await KillableNode.StartAsync(DataDirectory);
        try
        {
            for (var round = 0; round < killAfterAnswers.Length; round++)
            {
                var dying = node;
                var answered = await new WriteLoad(dying.Client, $"round {round}").RunAsync(Writers, killAfterAnswers[round], dying.KillAsync);
                dying.Dispose();
                node = await KillableNode.StartAsync(DataDirectory);

                committed.AddRange(answered.Where(a => a.Committed));
                var pending = answered.Where(a => !a.Committed).ToList();
                await CheckCommittedAsync(node, committed);
                var lost = await CheckPendingAsync(node, pending);
                output.WriteLine($"round {round}: {answered.Count} answered, {answered.Count(a => a.Committed)} reported committed, {pending.Count} pending, of which {lost} absent after restart");
                await CheckAcceptsWritesAsync(node, $"after round {round}");
            }

            await node.StopAsync();
        }
        finally
        {
            node.Dispose();
        }
    }

    [Fact]
    public async Task AnIdAnsweredBeforeAKillNeverNamesOtherContentsOnceTheLedgerGrowsPastIt()
    {
        // No write waits, so at each kill some answered writes are likely still only in memory;
        // after the last restart the ledger grows past every id handed out, and each id must
        // then name its own write or nothing.
        const int Rounds = 4;
        var pending = new List<Acknowledged>();
        var node = await KillableNode.StartAsync(DataDirectory);
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var dying = node;
                var answered = await new WriteLoad(dying.Client, $"round {round}", someWaitForCommit: false).RunAsync(2 * Writers, 150, dying.KillAsync);
                dying.Dispose();
                node = await KillableNode.StartAsync(DataDirectory);
                pending.AddRange(answered.Where(a => !a.Committed));
            }

            var highest = pending.Max(a => a.Id.Seqno);
            var written = 0;
            while ((await CheckAcceptsWritesAsync(node, $"after the kills, write {written++}")).Seqno <= highest)
            {
            }

            var lost = await CheckPendingAsync(node, pending);
            output.WriteLine($"{pending.Count} writes answered but not reported committed in {Rounds} kills; {lost} absent at the end; {written} writes after the last restart");
            await node.StopAsync();
        }
        finally
        {
            node.Dispose();
        }
    }

    /// <summary>Every write reported committed is there, with its contents, and its receipt verifies against the service certificate.</summary>
    private static Task CheckCommittedAsync(KillableNode node, IReadOnlyList<Acknowledged> committed)
        => Parallel.ForEachAsync(committed, new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (write, cancellationToken) =>
        {
            var contents = await ReadContentsAsync(node, write.Id);
            Assert.True(contents == write.Contents, $"{write.Id} was reported committed with \"{write.Contents}\" but reads back as \"{contents ?? "(absent)"}\".");

            using var response = await node.Client.GetAsync(KillableNode.App($"/app/transactions/{write.Id}/receipt"), cancellationToken);
            var receipt = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"The receipt of {write.Id}: {(int)response.StatusCode} {receipt}");
            var verification = ReceiptVerifier.VerifyJson(receipt, node.ServiceCertificatePem);
            Assert.True(verification.IsValid, $"The receipt of {write.Id} does not verify: {verification}");
        });

    /// <summary>Every write that was only pending is either there with the contents posted, or absent; returns how many are absent.</summary>
    private static async Task<int> CheckPendingAsync(KillableNode node, IReadOnlyList<Acknowledged> pending)
    {
        var absent = 0;
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (write, _) =>
        {
            var contents = await ReadContentsAsync(node, write.Id);
            if (contents is null)
            {
                Interlocked.Increment(ref absent);
                return;
            }

            Assert.True(contents == write.Contents, $"{write.Id} was answered for \"{write.Contents}\" but now holds \"{contents}\".");
        });
        return absent;
    }

    private static async Task<TransactionId> CheckAcceptsWritesAsync(KillableNode node, string contents)
    {
        using var body = new StringContent(JsonSerializer.Serialize(new { contents }), Encoding.UTF8, "application/json");
        using var response = await node.Client.PostAsync(KillableNode.App("/app/transactions?waitForCommit=true"), body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = TransactionId.Parse(response.Headers.GetValues("x-ms-ccf-transaction-id").Single());
        Assert.Equal(contents, await ReadContentsAsync(node, id));
        return id;
    }

    /// <summary>The contents stored under <paramref name="id"/>, or null when the node answers 404 (no such transaction).</summary>
    private static async Task<string?> ReadContentsAsync(KillableNode node, TransactionId id)
    {
        using var response = await node.Client.GetAsync(KillableNode.App($"/app/transactions/{id}"));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {id}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;

        // The restarted node signs whatever it recovered before serving, so nothing it holds is still loading.
        Assert.True(root.GetProperty("state").GetString() == "Ready", $"GET {id} after restart: {text}");
        var entry = root.GetProperty("entry");
        Assert.Equal(id.ToString(), entry.GetProperty("transactionId").GetString());
        return entry.GetProperty("contents").GetString();
    }
}
