namespace Stage.Tests.Shared;

/// <summary>Measures allocation once a hot path has settled.</summary>
internal static class SteadyState
{
    /// <summary>
    /// Runs <paramref name="round"/> repeatedly and returns the bytes the first settled round allocated on this
    /// thread (0 when the path allocates nothing in steady state). Why several rounds: the JIT's tier-up of a
    /// freshly hot method allocates on the calling thread once or twice, which says nothing about the path.
    /// </summary>
    public static long AllocatedBytes(Action round, int maxRounds = 20)
    {
        long allocated = 0;
        for (int i = 0; i < maxRounds; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0) return 0;
            Thread.Sleep(20);
        }
        return allocated;
    }
}
