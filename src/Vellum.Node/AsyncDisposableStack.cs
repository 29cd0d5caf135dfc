namespace Vellum.Node;

/// <summary>
/// What a start has built so far, torn down in reverse order if the start fails; once the start
/// succeeds, <see cref="Release"/> hands everything to the running node.
/// </summary>
internal sealed class AsyncDisposableStack : IAsyncDisposable
{
    private readonly Stack<object> _items = new();

    public T Push<T>(T item)
        where T : class
    {
        if (item is not IDisposable and not IAsyncDisposable)
        {
            throw new ArgumentException($"{typeof(T).Name} is not disposable.", nameof(item));
        }

        _items.Push(item);
        return item;
    }

    public void Release() => _items.Clear();

    public async ValueTask DisposeAsync()
    {
        while (_items.TryPop(out var item))
        {
            if (item is IAsyncDisposable asynchronous)
            {
                await asynchronous.DisposeAsync();
            }
            else
            {
                ((IDisposable)item).Dispose();
            }
        }
    }
}
