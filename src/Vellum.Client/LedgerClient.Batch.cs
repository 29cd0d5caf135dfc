using System.Text.Json;
using Vellum.Client.Http;
using Vellum.Client.Wire;

namespace Vellum.Client;

/// <summary>Batch appends (a Vellum extension of ACL's data plane).</summary>
public sealed partial class LedgerClient
{
    /// <summary>The most entries one batch may hold.</summary>
    public const int MaxBatchEntries = 1000;

    /// <summary>
    /// Appends <paramref name="entries"/> in order as one write (<c>POST /app/transactions/batch</c>,
    /// a Vellum extension): no other writer's entry falls between them, and the ledger refuses the
    /// whole batch if any entry is invalid.
    /// </summary>
    /// <param name="entries">1 to <see cref="MaxBatchEntries"/> entries, within the ledger's request size limit.</param>
    /// <param name="waitForCommit">Whether the answer waits until the last entry, and so every entry, is committed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Each entry's transaction id and collection, in the order given.</returns>
    /// <exception cref="ArgumentException">No entries, or more than <see cref="MaxBatchEntries"/>.</exception>
    /// <exception cref="LedgerRequestException">The ledger refused the batch, or could not be reached.</exception>
    public async Task<IReadOnlyList<LedgerWriteResult>> PostLedgerEntriesAsync(
        IReadOnlyList<LedgerBatchEntry> entries,
        bool waitForCommit = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count is 0 or > MaxBatchEntries)
        {
            throw new ArgumentException($"A batch holds 1 to {MaxBatchEntries} entries, not {entries.Count}.", nameof(entries));
        }

        var query = new QueryBuilder("/app/transactions/batch");
        if (waitForCommit)
        {
            query.Add("waitForCommit", "true");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new BatchRequest(entries), WireJsonContext.Default.BatchRequest);
        var request = new LedgerRequest(HttpMethod.Post, _pipeline.App(query.ToString()), body, LedgerRequest.Json, Idempotent: false);
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await LedgerPipeline.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var written = await LedgerPipeline.ReadJsonAsync(response, WireJsonContext.Default.BatchResponse, cancellationToken).ConfigureAwait(false);
        if (written.Transactions is not { } transactions || transactions.Count != entries.Count)
        {
            throw LedgerPipeline.InvalidResponse(response, $"the answer lists {written.Transactions?.Count ?? 0} transactions for {entries.Count} entries");
        }

        var results = new LedgerWriteResult[entries.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var id = ParseTransactionId(response, transactions[i].TransactionId, $"transactions[{i}].transactionId");
            results[i] = new LedgerWriteResult(id, transactions[i].CollectionId ?? entries[i].CollectionId ?? DefaultCollectionId, waitForCommit);
        }

        return results;
    }
}
