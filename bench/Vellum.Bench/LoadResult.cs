namespace Vellum.Bench;

/// <summary>
/// What one load run measured inside its window: completed requests per second, latency
/// percentiles in milliseconds, and the process's CPU time per completed request (the load
/// generator's included, so only differences between targets mean something). <see cref="Sent"/>
/// counts every request of the run, warm-up included.
/// </summary>
internal sealed record LoadResult(double RequestsPerSecond, double P50Milliseconds, double P99Milliseconds, double P999Milliseconds, double CpuMicrosecondsPerRequest, long Sent)
{
    /// <summary>The faster of a best round so far (or none) and a new round.</summary>
    public static LoadResult Faster(LoadResult? best, LoadResult round)
        => best is null || round.RequestsPerSecond > best.RequestsPerSecond ? round : best;
}
