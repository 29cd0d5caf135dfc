namespace Vellum.Cli.Commands;

/// <summary>
/// Passes each report on at once, on the reporting thread, unlike <see cref="Progress{T}"/>, which
/// posts reports to a synchronisation context and can deliver them out of order.
/// </summary>
internal sealed class CallbackProgress(Action<long> report) : IProgress<long>
{
    /// <inheritdoc />
    public void Report(long value) => report(value);
}
