namespace Vellum.Node.Replication;

/// <summary>
/// Capped exponential backoff between connection attempts to one peer: a peer that is down is
/// not hammered, and one that comes back is found again within <c>max</c>. No jitter: with a
/// handful of peers, each dialling the others on its own schedule, there is no herd to spread.
/// </summary>
internal struct ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public ReconnectBackoff(TimeSpan min, TimeSpan max)
    {
        _min = min;
        _max = max;
        _next = min;
    }

    /// <summary>The wait before the next attempt; each call doubles the one after, up to the cap.</summary>
    public TimeSpan Next()
    {
        var delay = _next;
        _next = delay >= _max / 2 ? _max : delay * 2;
        return delay;
    }

    /// <summary>Starts again from the shortest wait, after a connection succeeded.</summary>
    public void Reset() => _next = _min;
}
