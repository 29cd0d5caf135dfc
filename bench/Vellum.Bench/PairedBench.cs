using System.Globalization;
using System.Net;

namespace Vellum.Bench;

/// <summary>
/// The headline load alone (100-byte appends from 64 clients waiting for commit), node and HTTP
/// floor alternating for many short rounds, reported as the median ratio. On a machine whose
/// speed drifts by tens of percent between minutes, the median of alternating pairs is what
/// tells apart two builds a few percent apart: run this suite on each build in turn, several
/// times, and compare medians. Each round also prints the process's CPU time and bytes allocated
/// per request (the load generator's included, so only differences between targets mean something).
/// <c>--rounds N</c> runs N rounds instead of eight, for a steadier median.
/// </summary>
internal static class PairedBench
{
    private static readonly LoadShape Shape = new("commit wait, 100 B, 64 clients", 64, WaitForCommit: true);

    public static async Task RunAsync(BenchSettings settings)
    {
        var rounds = settings.Quick ? 1 : settings.Rounds ?? 8;
        var timing = settings.Quick ? LoadTiming.For(settings) : new LoadTiming(TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(2));
        await using var rig = await SingleNodeRig.StartAsync(Path.Combine(settings.FreshDirectory("paired"), "node"));
        var node = rig.NodeClient(HttpVersion.Version11);
        var floor = rig.FloorClient(HttpVersion.Version11);
        var body = SingleNodeRig.AppendBody(100);
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"paired: {Shape.Name}, HTTP/1.1; {rounds} round(s) of {timing.Warmup.TotalSeconds:0.0} s warm-up and {timing.Measure.TotalSeconds:0.0} s measured, node then floor"));

        // An unreported pass first, so that tiered compilation does not tax the first rounds.
        await HttpLoad.RunAsync(node, Shape, body, timing.Warmup, settings.Quick ? timing.Measure : TimeSpan.FromSeconds(6));
        await HttpLoad.RunAsync(floor, Shape, body, timing.Warmup, timing.Measure);

        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var (nodeResult, nodeBytes) = await MeasureAsync(node, body, timing);
            var (floorResult, floorBytes) = await MeasureAsync(floor, body, timing);
            ratios.Add(nodeResult.RequestsPerSecond / floorResult.RequestsPerSecond);
            Report.Line(string.Create(
                CultureInfo.InvariantCulture,
                $"round {round}: node {nodeResult.RequestsPerSecond,8:N0}/s, {nodeResult.CpuMicrosecondsPerRequest,4:0} µs CPU, {nodeBytes,6:N0} B allocated per request; floor {floorResult.RequestsPerSecond,8:N0}/s, {floorResult.CpuMicrosecondsPerRequest,4:0} µs, {floorBytes,6:N0} B; ratio {ratios[^1]:0.000}"));
        }

        ratios.Sort();
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"{"paired " + Shape.Name,-44} median ratio {ratios[ratios.Count / 2]:0.000} (lowest {ratios[0]:0.000}, highest {ratios[^1]:0.000})"));
    }

    private static async Task<(LoadResult Result, double BytesPerRequest)> MeasureAsync(HttpClient client, byte[] body, LoadTiming timing)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var result = await HttpLoad.RunAsync(client, Shape, body, timing.Warmup, timing.Measure);
        return (result, (GC.GetTotalAllocatedBytes() - allocatedBefore) / (double)result.Sent);
    }
}
