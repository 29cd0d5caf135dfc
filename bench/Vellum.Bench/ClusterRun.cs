namespace Vellum.Bench;

/// <summary>One load run on a node or cluster, with how many writes shared each signature the primary appended.</summary>
internal sealed record ClusterRun(LoadResult Load, double WritesPerSignature);
