namespace Vellum.Simulator;

/// <summary>The outcome of one run.</summary>
/// <param name="Settings">What ran.</param>
/// <param name="Checker">The property that failed, or null when the run passed.</param>
/// <param name="Message">What the checker found, or null.</param>
/// <param name="TraceHash">The hash of everything that happened; equal for two runs of one seed.</param>
/// <param name="TraceTail">The last trace lines, when the settings asked to keep them.</param>
/// <param name="Statistics">What the run exercised.</param>
public sealed record SimulationResult(
    SimulationSettings Settings,
    string? Checker,
    string? Message,
    ulong TraceHash,
    IReadOnlyList<string> TraceTail,
    SimulationStatistics Statistics)
{
    /// <summary>Whether every checker passed.</summary>
    public bool Passed => Checker is null;
}
