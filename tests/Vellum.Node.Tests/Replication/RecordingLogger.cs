using Microsoft.Extensions.Logging;

namespace Vellum.Node.Tests.Replication;

/// <summary>Keeps every log entry and lets a test wait for one, which is how it learns that a connection was refused.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Found)> _waiters = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public Task<LogEntry> WaitForAsync(int eventId, Func<LogEntry, bool>? match = null)
    {
        bool Matches(LogEntry entry) => entry.EventId == eventId && (match?.Invoke(entry) ?? true);
        lock (_gate)
        {
            if (_entries.FirstOrDefault(Matches) is { } existing)
            {
                return Task.FromResult(existing);
            }

            var found = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Matches, found));
            return found.Task;
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var entry = new LogEntry(eventId.Id, logLevel, formatter(state, exception));
        List<TaskCompletionSource<LogEntry>> woken = [];
        lock (_gate)
        {
            _entries.Add(entry);
            foreach (var waiter in _waiters.Where(waiter => waiter.Match(entry)).ToList())
            {
                _waiters.Remove(waiter);
                woken.Add(waiter.Found);
            }
        }

        foreach (var found in woken)
        {
            found.SetResult(entry);
        }
    }
}
