namespace Vellum.Cli.Tests.Cluster;

/// <summary>
/// Tests that run clusters of real processes go one at a time and apart from other tests: on a
/// small machine, nodes starved of CPU miss heartbeats and hold elections a test did not cause.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealClusters
{
    public const string Name = "real clusters";
}
