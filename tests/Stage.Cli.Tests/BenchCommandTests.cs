namespace Stage.Cli.Tests;

public class BenchCommandTests
{
    [Fact]
    public void The_physics_bench_runs_the_same_simulation_in_ode_c_and_in_stage()
    {
        // Not a timing test: it proves the benchmark compares like with like (the checksums agree bit for bit).
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run(["bench", "physics", "--boxes", "30", "--rounds", "1", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        Assert.Contains("pyramid-30", output.ToString());
        Assert.Contains("yes (checksum", output.ToString());
        Assert.Contains("sleeping: 1000 resting + 50 moving boxes", output.ToString());
    }

    [Fact]
    public void The_render_bench_reports_every_pass_and_the_copy_floor()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run(["bench", "render", Stage.Tests.Shared.RepositoryPaths.Of("stage-configs", "test-rig.json"), "--frames", "2", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        foreach (string pass in new[] { "shadow", "inner A", "outer", "compose", "readback", "frame", "copy floor", "frame / floor" })
            Assert.Contains(pass, output.ToString());
    }

    [Fact]
    public void The_run_bench_reports_rate_latency_and_engine_overhead()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run(["bench", "run", Stage.Tests.Shared.RepositoryPaths.Of("stage-configs", "test-rig.json"), "--seconds", "1", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        foreach (string line in new[] { "fps ", "frame time", "render", "pose age", "engine overhead" })
            Assert.Contains(line, output.ToString());
        Assert.DoesNotContain("NaN", output.ToString());
    }

    [Fact]
    public void The_tracking_bench_loses_nothing_on_loopback_and_reports_latency()
    {
        var output = new StringWriter();
        int exit = StageCli.Run(["bench", "tracking", "--cameras", "2", "--rate", "200", "--seconds", "1", "--baseline", "none", "--log-dir", Path.GetTempPath()], output, new StringWriter());
        Assert.True(exit == 0, output.ToString());
        Assert.Contains("stage  sent 400, applied 400, lost 0", output.ToString());
        Assert.Contains("receive → readable ", output.ToString());
    }
}
