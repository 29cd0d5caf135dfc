using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Vellum.Core;
using Vellum.Node.Api;
using Vellum.Node.Sequencing;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// A read's commit checks and its <c>x-ms-ccf-transaction-id</c> name one state, though commit
/// moves while the request runs: here it moves between the steps of one request, on purpose.
/// </summary>
public class ReadPointTests
{
    private static readonly TransactionId Before = new(2, 10);
    private static readonly TransactionId After = new(2, 20);

    [Fact]
    public void TheReadPointIsTakenOnceAndTheHeaderNamesItThoughCommitMovesAfterwards()
    {
        var commits = new CommitTracker(Before);
        var context = Request(HttpMethods.Get);

        var first = ReadPoint.Take(context, commits);
        commits.Advance(After);
        var second = ReadPoint.Take(context, commits);
        Start(context, commits);

        Assert.Equal(Before, first);
        Assert.Equal(Before, second);
        Assert.Equal(Before.ToString(), context.Response.Headers[TransactionIdHeader.Name].ToString());
    }

    [Fact]
    public async Task AReadRefusedAsNotCommittedKeepsTheReadPointItWasCheckedAtThoughCommitMovedBeforeTheAnswer()
    {
        var commits = new CommitTracker(Before);
        var context = Request(HttpMethods.Get);

        await new ErrorHandling(NullLogger.Instance).InvokeAsync(context, context =>
        {
            var readPoint = ReadPoint.Take(context, commits);
            var asked = new TransactionId(2, 15);
            Assert.True(asked.Seqno > readPoint.Seqno);
            commits.Advance(After);
            throw new ApiException(StatusCodes.Status406NotAcceptable, ErrorCodes.UncommittedLedgerEntry, $"{asked} is not committed yet.");
        });
        Start(context, commits);

        Assert.Equal(StatusCodes.Status406NotAcceptable, context.Response.StatusCode);
        Assert.Equal(Before.ToString(), context.Response.Headers[TransactionIdHeader.Name].ToString());
    }

    [Fact]
    public async Task AWriteRefusedAfterItsIdWasSetAnswersWithTheLastCommittedTransactionAsBefore()
    {
        var commits = new CommitTracker(Before);
        var context = Request(HttpMethods.Post);

        await new ErrorHandling(NullLogger.Instance).InvokeAsync(context, context =>
        {
            context.Response.Headers[TransactionIdHeader.Name] = new TransactionId(2, 15).ToString();
            commits.Advance(After);
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, ErrorCodes.TransactionInvalid, "Rolled back.");
        });
        Start(context, commits);

        Assert.Equal(After.ToString(), context.Response.Headers[TransactionIdHeader.Name].ToString());
    }

    [Fact]
    public void AResponseWhoseRouteTookNoReadPointGetsTheLastCommittedTransactionAsItStarts()
    {
        var commits = new CommitTracker(Before);
        var context = Request(HttpMethods.Get);

        commits.Advance(After);
        Start(context, commits);

        Assert.Equal(After.ToString(), context.Response.Headers[TransactionIdHeader.Name].ToString());
    }

    private static DefaultHttpContext Request(string method) => new() { Request = { Method = method } };

    // What the node registers with every response, run as Kestrel runs it when the answer starts.
    private static void Start(HttpContext context, CommitTracker commits) =>
        Assert.True(TransactionIdHeader.OnStarting(commits)(context).IsCompletedSuccessfully);
}
