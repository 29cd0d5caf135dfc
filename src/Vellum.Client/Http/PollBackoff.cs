using Vellum.Core;

namespace Vellum.Client.Http;

/// <summary>
/// Delays between polls for a state that changes on its own (an entry loading, a transaction
/// committing): short at first, since commit usually takes milliseconds, doubling up to a cap.
/// </summary>
internal struct PollBackoff(LedgerClientOptions options)
{
    private TimeSpan _next = options.InitialPollDelay;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var delay = _next;
        Invariant.Check(delay >= TimeSpan.Zero && delay <= options.MaxPollDelay, "poll delays stay within the configured bounds");
        var doubled = _next * 2;

        // A zero first delay still grows, so that polling never spins; the cap always wins.
        var grown = doubled < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : doubled;
        _next = grown > options.MaxPollDelay ? options.MaxPollDelay : grown;
        return Task.Delay(delay, options.TimeProvider, cancellationToken);
    }
}
