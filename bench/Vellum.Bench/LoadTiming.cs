namespace Vellum.Bench;

/// <summary>How long each load runs: brief in <c>--quick</c> mode, which only checks that every scenario runs.</summary>
internal sealed record LoadTiming(TimeSpan Warmup, TimeSpan Measure)
{
    public static LoadTiming For(BenchSettings settings) => settings.Quick
        ? new(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(0.4))
        : new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(3));
}
