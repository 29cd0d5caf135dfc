namespace Vellum.Node.Tests.Support;

/// <summary>
/// A clock that moves only when a test advances it. Timers made through it (reconnection delays,
/// handshake and fetch timeouts, periodic timers) fire during <see cref="Advance"/>, on the test's thread; a test can wait until one with a given
/// due time is pending, so it never advances the clock before the code under test is waiting.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Pending)> _waiters = [];
    private DateTimeOffset _now;

    public ManualClock(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes once a timer set to fire <paramref name="dueTime"/> after it was set is pending.</summary>
    public Task WhenTimerPendingAsync(TimeSpan dueTime)
    {
        lock (_gate)
        {
            if (_timers.Any(timer => timer.RequestedDueTime == dueTime))
            {
                return Task.CompletedTask;
            }

            var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueTime, pending));
            return pending.Task;
        }
    }

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += delta;
            due = _timers.Where(timer => timer.DueAt <= _now).ToList();
            foreach (var timer in due)
            {
                // A one-shot timer is done once due; a periodic one moves on.
                if (timer.Period == Timeout.InfiniteTimeSpan || timer.Period == TimeSpan.Zero)
                {
                    _timers.Remove(timer);
                }
                else
                {
                    timer.DueAt = _now + timer.Period;
                }
            }
        }

        // Callbacks run outside the lock: they may read the clock or set timers.
        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<TaskCompletionSource> woken = [];
        lock (_gate)
        {
            _timers.Remove(timer);
            timer.Period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.RequestedDueTime = dueTime;
            timer.DueAt = _now + dueTime;
            _timers.Add(timer);
            foreach (var waiter in _waiters.Where(waiter => waiter.DueTime == dueTime).ToList())
            {
                _waiters.Remove(waiter);
                woken.Add(waiter.Pending);
            }
        }

        foreach (var pending in woken)
        {
            pending.SetResult();
        }
    }

    // Its schedule is read and written only under the clock's lock.
    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

        public TimeSpan RequestedDueTime { get; set; }

        public DateTimeOffset DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Schedule(this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
