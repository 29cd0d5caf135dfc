using System.Runtime.InteropServices;

namespace Vellum.Cli.Commands;

/// <summary>
/// Ctrl+C or SIGTERM, taken by this program, so that a stop always runs the caller's clean
/// shutdown instead of ending the process, whoever else listens for them. Listen before telling
/// the user how to stop: a signal sent as soon as that is printed must find the handlers there.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    // Completed from the signal's thread; the waiter continues on its own, so the handler never
    // runs the shutdown inline, nor meets a disposed object when a second signal comes.
    private readonly TaskCompletionSource _signalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationToken _cancellationToken;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    private StopSignal(CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    /// <summary>Takes the signals from now on; a stop also comes from <paramref name="cancellationToken"/>.</summary>
    public static StopSignal Listen(CancellationToken cancellationToken) => new(cancellationToken);

    /// <summary>Completes once a signal came or the token was cancelled.</summary>
    public async Task WaitAsync()
    {
        try
        {
            await _signalled.Task.WaitAsync(_cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _signalled.TrySetResult();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }
}
