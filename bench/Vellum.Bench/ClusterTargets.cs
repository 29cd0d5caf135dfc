namespace Vellum.Bench;

/// <summary>What the cluster suite drives: the Kestrel floor, one node and a three-node cluster, each with its client.</summary>
internal sealed record ClusterTargets(HttpClient Floor, BenchCluster Single, HttpClient SingleClient, BenchCluster Cluster, HttpClient ClusterClient);
