using Stage.Benchmarks.Commands;

namespace Stage.Benchmarks.Tests;

/// <summary><c>stage bench run --pages</c> runs, reports both frame times and the push latency; no timing is asserted (benchmarks are never timed tests).</summary>
public sealed class RunPagesBenchTests
{
    [Fact]
    public void The_run_bench_compares_frame_time_without_and_with_connected_pages()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchCli.Run(["run", Stage.Tests.Shared.RepositoryPaths.Of("stage-configs", "test-rig.json"), "--seconds", "2", "--pages", "2", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        string text = output.ToString();
        Assert.Contains("round 1, 0 page(s): fps ", text);
        Assert.Contains("round 1, 2 page(s): fps ", text);
        Assert.Contains("status events/s a page, push p50 ", text);
        Assert.Contains("frame time p99 without pages: ", text);
        Assert.Contains("frame time p99 with 2 pages: ", text);
        Assert.Contains("status push (engine publish → page received): p50 ", text);
        Assert.DoesNotContain("NaN", text);
    }
}
