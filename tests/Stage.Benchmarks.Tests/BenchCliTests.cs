using Stage.Benchmarks.Commands;
using Stage.Tests.Shared;

namespace Stage.Benchmarks.Tests;

public class BenchCliTests
{
    [Fact]
    public void The_physics_bench_runs_the_same_simulation_in_ode_c_and_in_stage()
    {
        // Not a timing test: it proves the benchmark compares like with like (the checksums agree bit for bit).
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchCli.Run(["physics", "--boxes", "30", "--rounds", "1", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        Assert.Contains("pyramid-30", output.ToString());
        Assert.Contains("yes (checksum", output.ToString());
        Assert.Contains("sleeping: 1000 resting + 50 moving boxes", output.ToString());
    }

    [Fact]
    public void The_tangent_bench_reports_every_street_model_against_its_load()
    {
        // Not a timing test: every model is listed with its counts and a ratio, and a bad folder is a usage fault.
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchCli.Run(["tangents", "--runs", "1"], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        foreach (string model in new[] { "street.glb", "car.glb", "tree.glb", "all" })
            Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(model)}\s.*\d+\.\d{{3}}×", output.ToString());
        Assert.Equal(2, BenchCli.Run(["tangents", Path.Combine(Path.GetTempPath(), "no-such-folder-16mk")], new StringWriter(), error));
        Assert.Contains("no such folder", error.ToString());
    }

    [Fact]
    public void The_render_bench_reports_every_pass_and_the_copy_floor()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchCli.Run(["render", Stage.Tests.Shared.RepositoryPaths.Of("stage-configs", "test-rig.json"), "--frames", "2", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        foreach (string pass in new[] { "shadow", "inner A", "outer", "compose", "readback", "frame", "copy floor", "frame / floor" })
            Assert.Contains(pass, output.ToString());
    }

    [Fact]
    public void The_render_bench_takes_msaa_outer_size_and_inner_mips_from_the_command_line()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchCli.Run(["render", Stage.Tests.Shared.RepositoryPaths.Of("stage-configs", "test-rig.json"), "--frames", "1",
            "--msaa", "1", "--outer-face-px", "64", "--no-inner-mips", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        Assert.Contains("1× MSAA, outer 6 × 64², inner mips off", output.ToString());
        output = new StringWriter();
        exit = BenchCli.Run(["render", Stage.Tests.Shared.RepositoryPaths.Of("stage-configs", "test-rig.json"), "--frames", "1", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        // The configuration's defaults: 4 samples (lavapipe offers 4), the outer size chosen from the rig's walls.
        Assert.Contains("4× MSAA, outer 6 × 144², inner mips on", output.ToString());
    }

    [Fact]
    public void The_run_bench_reports_rate_latency_and_engine_overhead()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchCli.Run(["run", Stage.Tests.Shared.RepositoryPaths.Of("stage-configs", "test-rig.json"), "--seconds", "1", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        foreach (string line in new[] { "fps ", "frame time", "render", "pose age", "engine overhead" })
            Assert.Contains(line, output.ToString());
        Assert.DoesNotContain("NaN", output.ToString());
    }

    [Fact]
    public void The_tracking_bench_loses_nothing_on_loopback_and_reports_latency()
    {
        var output = new StringWriter();
        int exit = BenchCli.Run(["tracking", "--cameras", "2", "--rate", "200", "--seconds", "1", "--baseline", "none", "--log-dir", Path.GetTempPath()], output, new StringWriter());
        Assert.True(exit == 0, output.ToString());
        Assert.Contains("stage  sent 400, applied 400, lost 0", output.ToString());
        Assert.Contains("receive → readable ", output.ToString());
    }

    [Fact]
    public void The_tracking_bench_feeds_liblo_the_same_traffic()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchCli.Run(["tracking", "--cameras", "2", "--rate", "200", "--seconds", "1", "--baseline", "liblo", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, output.ToString() + error);
        Assert.Contains("stage  sent 400, applied 400, lost 0", output.ToString());
        Assert.Contains("liblo  sent 400, applied 400, lost 0", output.ToString());
        Assert.Matches(@"liblo .*receive → readable \d+\.\d/\d+\.\d/\d+\.\d; send → readable \d+\.\d/", output.ToString());
    }

    [Fact]
    public async Task Ctrl_c_ends_a_bench_at_once()
    {
        // Bench commands run to the end unless killed: Ctrl+C keeps its default action there.
        using var stage = StageProcess.StartProgram("stage-bench.dll", "physics", "--boxes", "5000", "--rounds", "50");
        await Task.Delay(2000);
        stage.Signal("INT");
        int code = await stage.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(128 + 2, code);
    }
}
