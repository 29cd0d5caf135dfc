using System.Diagnostics;
using Vellum.Core;
using Vellum.Core.Merkle;

namespace Vellum.Bench;

/// <summary>Merkle appends and proofs against the floor of two SHA-256 of 64 bytes.</summary>
internal static class MerkleBench
{
    public static Task RunAsync(BenchSettings settings)
    {
        var leafCount = settings.Quick ? 200_000 : 2_000_000;
        var leaves = new Sha256Hash[leafCount];
        var seed = new byte[Sha256Hash.Size];
        for (var i = 0; i < leafCount; i++)
        {
            BitConverter.TryWriteBytes(seed, i);
            leaves[i] = Sha256Hash.Of(seed);
        }

        // Warm up both paths so the JIT has tiered up before anything is timed.
        TwoHashesPerSecond(50_000);
        Append(leaves.AsSpan(0, 50_000));

        var floor = TwoHashesPerSecond(leafCount);
        var (tree, appendsPerSecond) = Append(leaves);
        Report.Rate($"merkle append ({leafCount:N0} leaves)", appendsPerSecond, "appends/s", "2×SHA-256(64 B)", floor, target: 0.5);

        var random = new Random(42);
        var proofs = settings.Quick ? 20_000 : 200_000;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < proofs; i++)
        {
            var size = random.NextInt64(leafCount / 2, leafCount + 1);
            _ = tree.ProveInclusion(random.NextInt64(size), size);
        }

        Report.Rate("merkle inclusion proof (random leaf, size)", proofs / watch.Elapsed.TotalSeconds, "proofs/s", "2×SHA-256(64 B)", floor);

        watch.Restart();
        for (var i = 0; i < proofs / 4; i++)
        {
            var newSize = random.NextInt64(2, leafCount + 1);
            _ = tree.ProveConsistency(random.NextInt64(1, newSize), newSize);
        }

        Report.Rate("merkle consistency proof (random sizes)", proofs / 4 / watch.Elapsed.TotalSeconds, "proofs/s", "2×SHA-256(64 B)", floor);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The floor: pairs of SHA-256 over 64 bytes, through the same primitive the tree uses, so the
    /// ratio measures the tree's own overhead and not which SHA-256 implementation ran.
    /// </summary>
    private static double TwoHashesPerSecond(int pairs)
    {
        var left = Sha256Hash.Of("left"u8);
        var right = Sha256Hash.Of("right"u8);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < pairs; i++)
        {
            left = Sha256Hash.OfPair(left, right);
            right = Sha256Hash.OfPair(right, left);
        }

        GC.KeepAlive(right);
        return pairs / watch.Elapsed.TotalSeconds;
    }

    private static (MerkleTree Tree, double AppendsPerSecond) Append(ReadOnlySpan<Sha256Hash> leaves)
    {
        var tree = new MerkleTree(new InMemoryMerkleNodeStore());
        var watch = Stopwatch.StartNew();
        foreach (var leaf in leaves)
        {
            tree.Append(leaf);
        }

        return (tree, leaves.Length / watch.Elapsed.TotalSeconds);
    }
}
