using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vellum.Node;

/// <summary>
/// The node's logger factory as the HTTPS host sees it: the same loggers, except that ASP.NET
/// Core's per-request hosting diagnostics get none. While that category can log at all, the host
/// starts an <see cref="System.Diagnostics.Activity"/> and a logging scope for every request
/// (about 1 KB of allocations) only to log request starts and ends, which are below the levels a
/// node logs. What else the category carries is not lost: a startup failure is thrown from the
/// host's start, and a request's unhandled error is logged by the node's error handling and by
/// Kestrel. Tracing is unaffected: an <see cref="System.Diagnostics.ActivityListener"/> still
/// makes the host start an activity per request.
/// </summary>
internal sealed class HostLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <summary>The category ASP.NET Core's hosting logs each request's start and end under.</summary>
    public const string RequestDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public ILogger CreateLogger(string categoryName)
        => categoryName == RequestDiagnosticsCategory ? NullLogger.Instance : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>Leaves the inner factory alone: the node's options own it.</summary>
    public void Dispose()
    {
    }
}
