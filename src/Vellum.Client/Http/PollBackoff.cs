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
        var doubled = _next * 2;
        _next = doubled > options.MaxPollDelay ? options.MaxPollDelay : doubled < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : doubled;
        return Task.Delay(delay, options.TimeProvider, cancellationToken);
    }
}
