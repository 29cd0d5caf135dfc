using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Vellum.Node.Replication;
using Vellum.Storage;

namespace Vellum.Node.Api;

/// <summary>
/// Turns every failure into ACL's error shape, <c>{"error":{"code","message"}}</c>: refusals
/// thrown by handlers, Kestrel's own (an oversized body), routing's bare 404 and 405, and, as a
/// last resort, a bug (500, logged, with no internals in the message).
/// </summary>
internal sealed partial class ErrorHandling(ILogger logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (ClientWentAway(context, exception))
        {
            // Nothing can be answered, and nothing is wrong with the node: not worth an error line.
            // The request is aborted (its connection over HTTP/1.1, its stream over HTTP/2) rather
            // than left for Kestrel to drain a body that will not come.
            LogClientWentAway(logger, context.Request.Method, context.Request.Path);
            context.Abort();
            return;
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            if (exception is NotPrimaryException { PrimaryApiAddress: { } primary })
            {
                RedirectToPrimary(context, primary);
                return;
            }

            var (status, code, message) = Describe(exception);
            if (status == StatusCodes.Status500InternalServerError)
            {
                LogUnexpected(logger, context.Request.Method, context.Request.Path, exception);
            }

            // A read keeps the read point its checks were made at: the refusal may say "not committed yet".
            ReadPoint.ClearKeepingIt(context);
            await JsonResponses.WriteErrorAsync(context, status, code, message);
            return;
        }

        if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentType is null)
        {
            var (code, message) = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => (ErrorCodes.NotFound, $"There is no route {context.Request.Path}."),
                StatusCodes.Status405MethodNotAllowed => (ErrorCodes.MethodNotAllowed, $"{context.Request.Method} is not allowed on {context.Request.Path}."),
                _ => (ErrorCodes.BadRequest, "The request was refused."),
            };
            await JsonResponses.WriteErrorAsync(context, context.Response.StatusCode, code, message);
        }
    }

    /// <summary>
    /// Sends the caller to the primary with a 307, which keeps the method and body (ACL's clients
    /// follow it); the body says the same for clients that do not.
    /// </summary>
    private static void RedirectToPrimary(HttpContext context, string primary)
    {
        var request = context.Request;
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        context.Response.Headers.Location = $"https://{primary}{request.PathBase}{request.Path}{request.QueryString}";
    }

    /// <summary>
    /// The client reset its connection while the request ran (Kestrel may report that before it
    /// cancels the request), or closed it and the request's body read or waits ended for that.
    /// Any other failure, storage's included, is handled as such even if the client left meanwhile.
    /// </summary>
    private static bool ClientWentAway(HttpContext context, Exception exception)
        => exception is ConnectionResetException || (exception is OperationCanceledException or BadHttpRequestException && context.RequestAborted.IsCancellationRequested);

    private static (int Status, string Code, string Message) Describe(Exception exception) => exception switch
    {
        ApiException refusal => (refusal.StatusCode, refusal.Code, refusal.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, ErrorCodes.RequestBodyTooLarge, "The request body is larger than the node's limit."),
        BadHttpRequestException bad => (bad.StatusCode, ErrorCodes.BadRequest, bad.Message),
        NodeUnavailableException unavailable => (503, ErrorCodes.ServiceUnavailable, unavailable.Message),
        NotPrimaryException notPrimary => (503, ErrorCodes.ServiceUnavailable, notPrimary.Message),
        LedgerFaultedException => (503, ErrorCodes.ServiceUnavailable, "The node's ledger failed; restart the node."),
        Core.Encryption.EntryDecryptionException damaged => (500, ErrorCodes.InternalError, $"The stored entry {damaged.TransactionId} failed its integrity check and is not served; the node's log has the details."),
        _ => (500, ErrorCodes.InternalError, "The node failed to serve the request; its log has the details."),
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path}: the client went away before the answer.")]
    private static partial void LogClientWentAway(ILogger logger, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly.")]
    private static partial void LogUnexpected(ILogger logger, string method, PathString path, Exception exception);
}
