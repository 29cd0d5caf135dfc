using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Vellum.Client.Tests.Support;
using Vellum.Core;

namespace Vellum.Client.Tests;

/// <summary>
/// Transient failures are retried with backoff, and only those: a stub ledger over real TLS fails
/// on demand, since a real node cannot be made to fail a given request.
/// </summary>
public sealed class RetryTests
{
    private const string Committed = "{\"state\":\"Committed\",\"transactionId\":\"2.15\"}";
    private static readonly TransactionId Id = new(2, 15);

    private static readonly LedgerClientOptions TwoRetries = new()
    {
        MaxRetries = 2,
        InitialRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task A503WithRetryAfterIsRetriedUntilTheLedgerAnswers()
    {
        await using var stub = await StubLedger.StartAsync((context, request) =>
        {
            if (request <= 2)
            {
                context.Response.Headers.RetryAfter = "0";
                return StubLedger.AnswerAsync(context, 503, Error("ServiceUnavailable"));
            }

            return StubLedger.AnswerAsync(context, 200, Committed);
        });
        using var client = Client(stub);

        var status = await client.GetTransactionStatusAsync(Id);

        Assert.Equal(new TransactionStatus(Id, TransactionState.Committed), status);
        Assert.Equal(3, stub.Requests);
    }

    [Fact]
    public async Task TooManyRequestsAndServerErrorsOnReadsAreRetried()
    {
        await using var stub = await StubLedger.StartAsync((context, request) => request switch
        {
            1 => StubLedger.AnswerAsync(context, 429, Error("TooManyRequests")),
            2 => StubLedger.AnswerAsync(context, 500, Error("InternalError")),
            _ => StubLedger.AnswerAsync(context, 200, Committed),
        });
        using var client = Client(stub);

        await client.GetTransactionStatusAsync(Id);

        Assert.Equal(3, stub.Requests);
    }

    [Fact]
    public async Task RetriesAreBoundedAndTheLastFailureSurfaces()
    {
        await using var stub = await StubLedger.StartAsync((context, _) => StubLedger.AnswerAsync(context, 503, Error("ServiceUnavailable")));
        using var client = Client(stub);

        var error = await Assert.ThrowsAsync<LedgerRequestException>(() => client.GetTransactionStatusAsync(Id));

        Assert.Equal((503, "ServiceUnavailable"), (error.Status, error.ErrorCode));
        Assert.Equal(TwoRetries.MaxRetries + 1, stub.Requests);
    }

    [Fact]
    public async Task AnAppendIsNotRetriedAfterAServerErrorThatMayHaveWrittenIt()
    {
        await using var stub = await StubLedger.StartAsync((context, _) => StubLedger.AnswerAsync(context, 500, Error("InternalError")));
        using var client = Client(stub);

        var error = await Assert.ThrowsAsync<LedgerRequestException>(() => client.PostLedgerEntryAsync("maybe written"));

        Assert.Equal((500, "InternalError"), (error.Status, error.ErrorCode));
        Assert.Equal(1, stub.Requests);
    }

    [Fact]
    public async Task AnAppendTheNodeDidNotTakeIsRetriedWithItsBody()
    {
        var bodies = new List<string>();
        await using var stub = await StubLedger.StartAsync(async (context, request) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            bodies.Add(await reader.ReadToEndAsync());
            if (request == 1)
            {
                await StubLedger.AnswerAsync(context, 503, Error("ServiceUnavailable"));
                return;
            }

            context.Response.Headers["x-ms-ccf-transaction-id"] = "2.15";
            await StubLedger.AnswerAsync(context, 200, "{\"collectionId\":\"subledger:0\"}");
        });
        using var client = Client(stub);

        var written = await client.PostLedgerEntryAsync("twice sent, once written");

        Assert.Equal(Id, written.TransactionId);
        Assert.Equal(2, bodies.Count);
        Assert.All(bodies, body => Assert.Equal("{\"contents\":\"twice sent, once written\"}", body));
    }

    [Fact]
    public async Task ARetiredNodeIsNotRetried()
    {
        await using var stub = await StubLedger.StartAsync((context, _) => StubLedger.AnswerAsync(context, 503, Error("NodeRetired")));
        using var client = Client(stub);

        var error = await Assert.ThrowsAsync<LedgerRequestException>(() => client.PostLedgerEntryAsync("to a retired node"));

        Assert.Equal("NodeRetired", error.ErrorCode);
        Assert.Equal(1, stub.Requests);
    }

    [Fact]
    public async Task AConnectionThatCannotBeOpenedSurfacesAsAConnectionFailure()
    {
        await using var stub = await StubLedger.StartAsync((context, _) => StubLedger.AnswerAsync(context, 200, Committed));
        using var client = new LedgerClient(new Uri($"https://127.0.0.1:{ClosedPort()}"), stub.Identity, Token(), TwoRetries);

        var error = await Assert.ThrowsAsync<LedgerRequestException>(() => client.GetTransactionStatusAsync(Id));

        Assert.Equal((0, LedgerRequestException.ConnectionFailedCode), (error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task AnErrorWithoutAclsBodyStillCarriesTheStatus()
    {
        await using var stub = await StubLedger.StartAsync((context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        using var client = Client(stub);

        var error = await Assert.ThrowsAsync<LedgerRequestException>(() => client.GetTransactionStatusAsync(Id));

        Assert.Equal((404, nameof(HttpStatusCode.NotFound)), (error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task AnEntryStillLoadingIsAskedForAgainUntilItIsReady()
    {
        await using var stub = await StubLedger.StartAsync((context, request) => request <= 2
            ? StubLedger.AnswerAsync(context, 200, "{\"state\":\"Loading\"}")
            : StubLedger.AnswerAsync(context, 200, "{\"state\":\"Ready\",\"entry\":{\"contents\":\"loaded\",\"collectionId\":\"subledger:0\",\"transactionId\":\"2.15\",\"tags\":\"a,b\"}}"));
        using var client = Client(stub);

        var entry = await client.GetLedgerEntryAsync(Id);

        Assert.Equal(new LedgerEntry(Id, "subledger:0", "loaded", entry.Tags), entry);
        Assert.Equal(["a", "b"], entry.Tags);
        Assert.Equal(3, stub.Requests);
    }

    [Fact]
    public async Task RedirectsAreBounded()
    {
        StubLedger? self = null;
        await using var stub = self = await StubLedger.StartAsync((context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = new Uri(self!.Endpoint, "/app/transactions?api-version=2024-08-22-preview").ToString();
            return Task.CompletedTask;
        });
        using var client = Client(stub);

        var error = await Assert.ThrowsAsync<LedgerRequestException>(() => client.PostLedgerEntryAsync("round and round"));

        Assert.Equal((307, LedgerRequestException.TooManyRedirectsCode), (error.Status, error.ErrorCode));
        Assert.Equal(TwoRetries.MaxRedirects + 1, stub.Requests);
    }

    [Fact]
    public async Task ARedirectAwayFromHttpsIsRefused()
    {
        await using var stub = await StubLedger.StartAsync((context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = "http://127.0.0.1:1/app/transactions";
            return Task.CompletedTask;
        });
        using var client = Client(stub);

        var error = await Assert.ThrowsAsync<LedgerRequestException>(() => client.PostLedgerEntryAsync("not in the clear"));

        Assert.Equal((307, LedgerRequestException.InvalidResponseCode), (error.Status, error.ErrorCode));
        Assert.Equal(1, stub.Requests);
    }

    private static LedgerClient Client(StubLedger stub) => new(stub.Endpoint, stub.Identity, Token(), TwoRetries);

    private static LedgerCredential Token() => LedgerCredential.FromToken(_ => ValueTask.FromResult("stub-token"));

    private static string Error(string code) => $"{{\"error\":{{\"code\":\"{code}\",\"message\":\"{code} from the stub\"}}}}";

    private static int ClosedPort()
    {
        // A port just released by a listener: nothing accepts on it, so the connection is refused.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
