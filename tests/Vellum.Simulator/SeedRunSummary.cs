namespace Vellum.Simulator;

/// <summary>What a range of seeds came to.</summary>
/// <param name="Seeds">How many seeds ran.</param>
/// <param name="Failures">The failed runs, each run again with its trace kept.</param>
/// <param name="Statistics">What all the runs exercised together.</param>
/// <param name="Elapsed">How long the range took.</param>
public sealed record SeedRunSummary(int Seeds, IReadOnlyList<SimulationResult> Failures, SimulationStatistics Statistics, TimeSpan Elapsed);
