namespace Vellum.Node.Tests.Jwt;

/// <summary>
/// A clock that moves only when a test calls <see cref="Advance"/>. Timers created through it (the
/// validator's fetch timeouts) fire during <see cref="Advance"/>, on the test's thread.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;

    public FakeTimeProvider(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        List<FakeTimer> due;
        lock (_gate)
        {
            _now += delta;
            due = _timers.Where(timer => timer.DueAt <= _now).ToList();
            foreach (var timer in due)
            {
                timer.Reschedule(_now);
            }
        }

        // Callbacks run outside the lock: they may read the clock or create timers.
        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            timer.Period = period;
            timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : _now + dueTime;
            if (timer.DueAt != DateTimeOffset.MaxValue)
            {
                _timers.Add(timer);
            }
        }
    }

    // Its schedule is read and written only under the clock's lock.
    private sealed class FakeTimer(FakeTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

        public DateTimeOffset DueAt { get; set; } = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Schedule(this, dueTime, period);
            return true;
        }

        // A one-shot timer is removed once due; a periodic one moves on.
        public void Reschedule(DateTimeOffset now)
        {
            if (Period == Timeout.InfiniteTimeSpan || Period == TimeSpan.Zero)
            {
                DueAt = DateTimeOffset.MaxValue;
                clock._timers.Remove(this);
            }
            else
            {
                DueAt = now + Period;
            }
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
