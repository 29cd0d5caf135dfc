using Vellum.Core;
using Vellum.Core.Merkle;

namespace Vellum.Core.Tests.Merkle;

/// <summary>
/// RFC 9162 §2.1 written as directly as the RFC states it (recursive, over all leaves), to check
/// the production tree against an implementation that shares none of its index arithmetic.
/// </summary>
internal static class ReferenceMerkle
{
    public static Sha256Hash Root(IReadOnlyList<Sha256Hash> leaves, int start, int end)
    {
        var n = end - start;
        if (n == 1)
        {
            return leaves[start];
        }

        var k = LargestPowerOfTwoBelow(n);
        return Sha256Hash.OfPair(Root(leaves, start, start + k), Root(leaves, start + k, end));
    }

    public static List<ProofStep> Path(IReadOnlyList<Sha256Hash> leaves, int m, int start, int end)
    {
        var n = end - start;
        if (n == 1)
        {
            return [];
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            var path = Path(leaves, m, start, start + k);
            path.Add(new ProofStep(ProofSide.Right, Root(leaves, start + k, end)));
            return path;
        }
        else
        {
            var path = Path(leaves, m - k, start + k, end);
            path.Add(new ProofStep(ProofSide.Left, Root(leaves, start, start + k)));
            return path;
        }
    }

    public static List<Sha256Hash> Consistency(IReadOnlyList<Sha256Hash> leaves, int m, int n) =>
        SubProof(leaves, m, 0, n, true);

    private static List<Sha256Hash> SubProof(IReadOnlyList<Sha256Hash> leaves, int m, int start, int end, bool b)
    {
        var n = end - start;
        if (m == n)
        {
            return b ? [] : [Root(leaves, start, end)];
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            var proof = SubProof(leaves, m, start, start + k, b);
            proof.Add(Root(leaves, start + k, end));
            return proof;
        }
        else
        {
            var proof = SubProof(leaves, m - k, start + k, end, false);
            proof.Add(Root(leaves, start, start + k));
            return proof;
        }
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}
