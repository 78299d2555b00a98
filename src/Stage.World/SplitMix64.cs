namespace Stage.World;

/// <summary>SplitMix64: the spawners' seeded generator (state is one 64-bit word, saved in snapshots).</summary>
public static class SplitMix64
{
    /// <summary>Advances <paramref name="state"/> and returns the next 64 random bits.</summary>
    public static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [−1, 1) from the next 53 bits.</summary>
    public static double NextSigned(ref ulong state) => (Next(ref state) >> 11) * (1.0 / (1UL << 53)) * 2 - 1;
}
