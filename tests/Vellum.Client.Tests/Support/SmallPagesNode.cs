using Vellum.Node;

namespace Vellum.Client.Tests.Support;

/// <summary>One node per test class, serving three entries per page so that listing a handful of entries crosses pages.</summary>
public sealed class SmallPagesNode : IAsyncLifetime
{
    public const int PageSize = 3;

    private LedgerNode? _node;

    internal LedgerNode Node => _node ?? throw new InvalidOperationException("The node is not started.");

    public async Task InitializeAsync() =>
        _node = await LedgerNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, MaxEntriesPerPage = PageSize });

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
