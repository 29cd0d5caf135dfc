using System.Globalization;

namespace Vellum.Bench;

/// <summary>Prints one measurement next to its same-run floor.</summary>
internal static class Report
{
    public static void Rate(string name, double rate, string unit, string floorName, double floorRate, double? target = null)
    {
        var ratio = rate / floorRate;
        var verdict = target is { } goal ? (ratio >= goal ? $"  (target ≥ {goal:0.00}: met)" : $"  (target ≥ {goal:0.00}: MISSED)") : string.Empty;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-44} {rate,14:N0} {unit}   floor ({floorName}) {floorRate,14:N0}/s   ratio {ratio,6:0.00}{verdict}"));
    }

    public static void Line(string text) => Console.WriteLine(text);
}
