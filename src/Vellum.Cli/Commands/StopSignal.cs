using System.Runtime.InteropServices;

namespace Vellum.Cli.Commands;

/// <summary>
/// Waits for Ctrl+C or SIGTERM. The signals are taken here, so that a stop always runs the
/// caller's clean shutdown instead of ending the process, whoever else listens for them.
/// </summary>
internal static class StopSignal
{
    public static async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
