using System.Globalization;

namespace Vellum.Bench;

/// <summary>Prints one measurement next to its same-run floor.</summary>
internal static class Report
{
    public static void Rate(string name, double rate, string unit, string floorName, double floorRate, double? target = null, string floorUnit = "/s")
    {
        var ratio = rate / floorRate;
        var verdict = target is { } goal ? (ratio >= goal ? $"  (target ≥ {goal:0.00}: met)" : $"  (target ≥ {goal:0.00}: MISSED)") : string.Empty;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-44} {rate,14:N0} {unit}   floor ({floorName}) {floorRate,14:N0}{floorUnit}   ratio {ratio,6:0.00}{verdict}"));
    }

    /// <summary>Latency percentiles next to the floor's; the ratios are floor over measured, so above 1 means faster, as for rates.</summary>
    public static void Latency(string name, LoadResult measured, string floorName, LoadResult floor)
    {
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-44} p50/p99/p99.9 {Percentiles(measured)} ms   floor ({floorName}) {Percentiles(floor)} ms   ratio {floor.P50Milliseconds / measured.P50Milliseconds:0.00} / {floor.P99Milliseconds / measured.P99Milliseconds:0.00} / {floor.P999Milliseconds / measured.P999Milliseconds:0.00}"));
    }

    private static string Percentiles(LoadResult result)
        => string.Create(CultureInfo.InvariantCulture, $"{result.P50Milliseconds:0.00} / {result.P99Milliseconds:0.00} / {result.P999Milliseconds:0.00}");

    public static void Line(string text) => Console.WriteLine(text);
}
