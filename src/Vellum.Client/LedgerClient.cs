using System.Runtime.CompilerServices;
using System.Text.Json;
using Vellum.Client.Http;
using Vellum.Client.Wire;
using Vellum.Core;

namespace Vellum.Client;

/// <summary>
/// A client for one Vellum ledger (or any Azure Confidential Ledger data plane), shaped like
/// ACL's <c>ConfidentialLedgerClient</c> but typed: append and read entries, list them page by
/// page, follow a transaction to commit, fetch and verify receipts, and manage users and roles.
/// </summary>
/// <remarks>
/// <para>
/// Every connection is pinned to the ledger's identity: the node's TLS chain must end at the
/// service certificate given to the constructor, whatever the machine's trust store says. Writes
/// sent to a backup are redirected to the primary with their body, credential and pin. Transient
/// failures are retried as <see cref="LedgerClientOptions"/> says; anything else surfaces as a
/// <see cref="LedgerRequestException"/>.
/// </para>
/// <para>
/// One client holds one pool of connections; share it across the application and dispose it at
/// the end. It is safe to use from several threads at once.
/// </para>
/// </remarks>
public sealed partial class LedgerClient : IDisposable
{
    /// <summary>The collection an entry goes to when none is named.</summary>
    public const string DefaultCollectionId = "subledger:0";

    private readonly LedgerPipeline _pipeline;
    private readonly LedgerClientOptions _options;

    /// <summary>A client for the ledger at <paramref name="endpoint"/>, pinned to <paramref name="identity"/>.</summary>
    /// <param name="endpoint">A node's API address, such as <c>https://127.0.0.1:8443</c>.</param>
    /// <param name="identity">The ledger's identity, from the operator, a saved file, or <see cref="LedgerIdentityClient"/>.</param>
    /// <param name="credential">Who to call as.</param>
    /// <param name="options">Retry, poll and redirect settings; defaults when null.</param>
    public LedgerClient(Uri endpoint, LedgerIdentity identity, LedgerCredential credential, LedgerClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(credential);
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("The endpoint must be an absolute HTTPS address.", nameof(endpoint));
        }

        _options = options ?? new LedgerClientOptions();
        _options.Validate();
        Endpoint = endpoint;
        Identity = identity;
        _pipeline = new LedgerPipeline(endpoint, identity, credential, _options);
    }

    /// <summary>A client for the ledger at <paramref name="endpoint"/>, pinned to the service certificate <paramref name="serviceCertificatePem"/>.</summary>
    /// <param name="endpoint">A node's API address, such as <c>https://127.0.0.1:8443</c>.</param>
    /// <param name="serviceCertificatePem">The ledger's service certificate, PEM, as the operator gave it.</param>
    /// <param name="credential">Who to call as.</param>
    /// <param name="options">Retry, poll and redirect settings; defaults when null.</param>
    /// <exception cref="ArgumentException">The PEM text is not a certificate.</exception>
    public LedgerClient(Uri endpoint, string serviceCertificatePem, LedgerCredential credential, LedgerClientOptions? options = null)
        : this(endpoint, LedgerIdentity.FromPem(serviceCertificatePem), credential, options)
    {
    }

    /// <summary>The node the client sends requests to first.</summary>
    public Uri Endpoint { get; }

    /// <summary>The pinned ledger identity.</summary>
    public LedgerIdentity Identity { get; }

    /// <summary>Appends an entry (ACL's <c>PostLedgerEntry</c>).</summary>
    /// <param name="contents">The entry's text.</param>
    /// <param name="collectionId">The collection to write to; <see cref="DefaultCollectionId"/> when null.</param>
    /// <param name="tags">Tags to index the entry by, if any.</param>
    /// <param name="waitForCommit">Whether the answer waits until the entry is committed, so that its receipt can be fetched at once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry's transaction id and collection.</returns>
    /// <exception cref="LedgerRequestException">The ledger refused the entry, or could not be reached.</exception>
    public async Task<LedgerWriteResult> PostLedgerEntryAsync(
        string contents,
        string? collectionId = null,
        IEnumerable<string>? tags = null,
        bool waitForCommit = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var query = new QueryBuilder("/app/transactions").Add("collectionId", collectionId);
        if (tags is not null)
        {
            query.Add("tags", string.Join(',', tags));
        }

        if (waitForCommit)
        {
            query.Add("waitForCommit", "true");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new EntryRequest(contents), WireJsonContext.Default.EntryRequest);
        var request = new LedgerRequest(HttpMethod.Post, _pipeline.App(query.ToString()), body, LedgerRequest.Json, Idempotent: false);
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await LedgerPipeline.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var written = await LedgerPipeline.ReadJsonAsync(response, WireJsonContext.Default.WriteResponse, cancellationToken).ConfigureAwait(false);
        var id = ParseTransactionId(response, LedgerPipeline.TransactionIdOf(response), LedgerPipeline.TransactionIdHeader);
        return new LedgerWriteResult(id, written.CollectionId ?? collectionId ?? DefaultCollectionId, waitForCommit);
    }

    /// <summary>
    /// Reads the entry written at <paramref name="transactionId"/> (ACL's <c>GetLedgerEntry</c>),
    /// waiting while the node answers <c>Loading</c>: until the entry is committed and loaded.
    /// </summary>
    /// <param name="transactionId">The entry's transaction id.</param>
    /// <param name="collectionId">The entry's collection, or null to read the entry whatever its collection.</param>
    /// <param name="cancellationToken">Cancels the call, and with it the wait.</param>
    /// <exception cref="LedgerRequestException">No such entry in that collection (404 <c>InvalidTransactionId</c>), or another refusal.</exception>
    public async Task<LedgerEntry> GetLedgerEntryAsync(TransactionId transactionId, string? collectionId = null, CancellationToken cancellationToken = default)
    {
        var path = _pipeline.App(new QueryBuilder($"/app/transactions/{transactionId}").Add("collectionId", collectionId).ToString());
        var backoff = new PollBackoff(_options);
        while (true)
        {
            using var response = await _pipeline.SendAsync(LedgerRequest.Get(path), cancellationToken).ConfigureAwait(false);
            await LedgerPipeline.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var answer = await LedgerPipeline.ReadJsonAsync(response, WireJsonContext.Default.EntryResponse, cancellationToken).ConfigureAwait(false);
            if (answer.Entry is { } entry && answer.State != "Loading")
            {
                return ToEntry(response, entry);
            }

            await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the latest committed entry of a collection (ACL's <c>GetCurrentLedgerEntry</c>).</summary>
    /// <param name="collectionId">The collection; <see cref="DefaultCollectionId"/> when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">The collection has no committed entry (404 <c>EntryNotFound</c>), or another refusal.</exception>
    public async Task<LedgerEntry> GetCurrentLedgerEntryAsync(string? collectionId = null, CancellationToken cancellationToken = default)
    {
        var path = _pipeline.App(new QueryBuilder("/app/transactions/current").Add("collectionId", collectionId).ToString());
        using var response = await _pipeline.SendAsync(LedgerRequest.Get(path), cancellationToken).ConfigureAwait(false);
        await LedgerPipeline.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var entry = await LedgerPipeline.ReadJsonAsync(response, WireJsonContext.Default.EntryWire, cancellationToken).ConfigureAwait(false);
        return ToEntry(response, entry);
    }

    /// <summary>
    /// Lists the committed entries of a collection in order (ACL's <c>GetLedgerEntries</c>),
    /// fetching the next page as the enumeration reaches it and waiting through <c>Loading</c> pages.
    /// </summary>
    /// <param name="collectionId">The collection; <see cref="DefaultCollectionId"/> when null.</param>
    /// <param name="fromTransactionId">The first transaction to include, or null to start at the beginning.</param>
    /// <param name="toTransactionId">The last transaction to include, or null for the last committed one.</param>
    /// <param name="tag">Only entries written with this tag, or null for all.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public async IAsyncEnumerable<LedgerEntry> GetLedgerEntriesAsync(
        string? collectionId = null,
        TransactionId? fromTransactionId = null,
        TransactionId? toTransactionId = null,
        string? tag = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder("/app/transactions")
            .Add("collectionId", collectionId)
            .Add("tag", tag)
            .Add("fromTransactionId", fromTransactionId?.ToString())
            .Add("toTransactionId", toTransactionId?.ToString());
        string? link = _pipeline.App(query.ToString());
        var backoff = new PollBackoff(_options);
        while (link is not null)
        {
            using var response = await _pipeline.SendAsync(LedgerRequest.Get(link), cancellationToken).ConfigureAwait(false);
            await LedgerPipeline.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var page = await LedgerPipeline.ReadJsonAsync(response, WireJsonContext.Default.EntriesPage, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Entries ?? [])
            {
                yield return ToEntry(response, entry);
            }

            // ACL answers "Loading" with the same link while it fetches history; wait before asking again.
            if (page.State == "Loading")
            {
                await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            link = page.NextLink is null ? null : _pipeline.NextLink(page.NextLink);
        }
    }

    /// <summary>Tells whether a transaction is committed yet (ACL's <c>GetTransactionStatus</c>).</summary>
    /// <param name="transactionId">The transaction.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">No such transaction (404 <c>InvalidTransactionId</c>), or another refusal.</exception>
    public async Task<TransactionStatus> GetTransactionStatusAsync(TransactionId transactionId, CancellationToken cancellationToken = default)
    {
        var request = LedgerRequest.Get(_pipeline.App($"/app/transactions/{transactionId}/status"));
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await LedgerPipeline.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var status = await LedgerPipeline.ReadJsonAsync(response, WireJsonContext.Default.StatusResponse, cancellationToken).ConfigureAwait(false);
        var state = status.State switch
        {
            nameof(TransactionState.Committed) => TransactionState.Committed,
            nameof(TransactionState.Pending) => TransactionState.Pending,
            _ => throw LedgerPipeline.InvalidResponse(response, $"the state \"{status.State}\" is neither Pending nor Committed"),
        };
        var id = status.TransactionId is null ? transactionId : ParseTransactionId(response, status.TransactionId, "transactionId");
        return new TransactionStatus(id, state);
    }

    /// <summary>Polls the status of <paramref name="transactionId"/> until it is committed.</summary>
    /// <param name="transactionId">The transaction.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="LedgerRequestException">The transaction does not exist (a rolled-back one stops existing), or another refusal.</exception>
    public async Task WaitForCommitAsync(TransactionId transactionId, CancellationToken cancellationToken = default)
    {
        var backoff = new PollBackoff(_options);
        while ((await GetTransactionStatusAsync(transactionId, cancellationToken).ConfigureAwait(false)).State != TransactionState.Committed)
        {
            await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the client's connections.</summary>
    public void Dispose() => _pipeline.Dispose();

    private static LedgerEntry ToEntry(HttpResponseMessage response, EntryWire entry)
    {
        if (entry.Contents is null || entry.TransactionId is null)
        {
            throw LedgerPipeline.InvalidResponse(response, "an entry lacks its contents or transactionId");
        }

        var id = ParseTransactionId(response, entry.TransactionId, "transactionId");
        var tags = string.IsNullOrEmpty(entry.Tags) ? [] : entry.Tags.Split(',');
        return new LedgerEntry(id, entry.CollectionId ?? DefaultCollectionId, entry.Contents, tags);
    }

    private static TransactionId ParseTransactionId(HttpResponseMessage response, string? text, string field)
    {
        if (text is null)
        {
            throw LedgerPipeline.InvalidResponse(response, $"{field} is missing");
        }

        return TransactionId.TryParse(text, out var id, out var error) ? id : throw LedgerPipeline.InvalidResponse(response, $"{field} \"{text}\" is invalid: {error}");
    }
}
