namespace Vellum.Simulator;

/// <summary>
/// Derives independent seeds from the run's seed. <see cref="HashCode"/> is randomised per
/// process in .NET, so it must never be used here: a seed has to replay in another process.
/// </summary>
internal static class SeedMath
{
    /// <summary>A seed for a <see cref="Random"/> of its own, fixed by the run's seed and the parts given.</summary>
    public static int Derive(int seed, int part, int subpart)
    {
        var value = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)part << 16) ^ (uint)subpart);
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        value ^= value >> 31;
        return unchecked((int)value) & int.MaxValue;
    }
}
