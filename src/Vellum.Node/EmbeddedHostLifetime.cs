using Microsoft.Extensions.Hosting;

namespace Vellum.Node;

/// <summary>
/// The node's web host does not own the process: without this, ASP.NET's console lifetime takes
/// SIGTERM and SIGINT for itself, stopping the web server behind its owner's back and keeping the
/// owner (<c>vellum start</c>, a test host) from ever learning of the signal.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
