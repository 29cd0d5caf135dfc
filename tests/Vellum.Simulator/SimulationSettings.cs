namespace Vellum.Simulator;

/// <summary>How to run one seed.</summary>
/// <param name="Seed">The seed from which everything in the run derives.</param>
/// <param name="Nodes">The founding voters: 3, 5 or 7.</param>
/// <param name="TraceLines">How many of the last trace lines to keep for a failure report; 0 keeps none and runs fastest.</param>
/// <param name="Echo">Where to write every trace line as it happens, for --verbose.</param>
public sealed record SimulationSettings(int Seed, int Nodes, int TraceLines = 0, TextWriter? Echo = null)
{
    /// <summary>The node count a seed gets when none is given: 3, 5 and 7 in turn.</summary>
    public static int DefaultNodesFor(int seed) => 3 + (2 * (int)((uint)seed % 3));

    /// <summary>The command that runs this seed again, exactly.</summary>
    public string ReplayCommand =>
        $"dotnet run -c Release --project tests/Vellum.Simulator -- --seeds 1 --from {Seed} --nodes {Nodes} --verbose";
}
