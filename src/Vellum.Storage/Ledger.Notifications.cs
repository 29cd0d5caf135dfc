using Microsoft.Extensions.Logging;

namespace Vellum.Storage;

/// <summary>What the ledger tells a subscriber as it happens, on the thread it happens on, with no lock of the ledger held.</summary>
public sealed partial class Ledger
{
    /// <summary>
    /// Raised on the background flusher's thread after each flush it made, once
    /// <see cref="DurableSeqno"/> includes it: the way to learn of durability without a thread
    /// hop. A handler runs before the next flush starts, so it must be short and must never wait
    /// for a flush, nor for a lock whose holder may (an append that needs room waits for one).
    /// A ledger that flushes only when asked (<see cref="FlushesInBackground"/> false) never
    /// raises it.
    /// </summary>
    public event Action? Flushed;

    /// <summary>
    /// Raised once, when a write or fsync failed and the ledger stopped (every waiter for
    /// durability fails with the same exception), on the thread that met the failure.
    /// </summary>
    public event Action<LedgerFaultedException>? Faulted;

    /// <summary>Whether a background flusher writes and fsyncs as appends arrive (<see cref="LedgerOptions.FlushInBackground"/>).</summary>
    public bool FlushesInBackground => _options.FlushInBackground;

    /// <summary>Calls each of <paramref name="handlers"/> through <paramref name="invoke"/>, allocating nothing; one that throws is logged, and the rest still run.</summary>
    private void Notify<THandler>(THandler? handlers, Action<THandler> invoke)
        where THandler : Delegate
    {
        foreach (var handler in Delegate.EnumerateInvocationList(handlers))
        {
            try
            {
                invoke(handler);
            }
#pragma warning disable CA1031 // A subscriber's failure is its own: it must not stop the flusher or fault the ledger.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogSubscriberFailed(_options.Logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber to the ledger's notifications failed; the ledger goes on.")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}
