namespace Vellum.Node.Replication;

/// <summary>A signal one waiter awaits and any thread sets; a set with nobody waiting is remembered once.</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref _next).TrySetResult();

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _next);
        await current.Task.WaitAsync(cancellationToken);
        Interlocked.CompareExchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }
}
