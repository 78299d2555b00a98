using System.Diagnostics;
using System.Text.Json;
using Stage.Tests.Shared;

namespace Stage.World.Tests;

/// <summary>`stage sim` and `stage world` as separate processes: crash safety, determinism across processes, snapshots in and out.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stage-sim-tests-" + Guid.NewGuid().ToString("N"));

    public CliProcessTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);


    private static (int Exit, string Out, string Err) Run(params string[] args) => StageProcess.Run(args);

    private static long StepOf(string jsonLine)
    {
        using var doc = JsonDocument.Parse(jsonLine);
        return doc.RootElement.GetProperty("step").GetInt64();
    }

    /// <summary>The step reports of <c>stage sim --json</c> output (the other lines are events).</summary>
    private static string[] Reports(IEnumerable<string> lines) => [.. lines.Where(l => !StageProcess.IsEvent(l))];

    /// <summary>The event lines of <c>stage sim --json</c> output, in order.</summary>
    private static string[] Events(IEnumerable<string> lines) => [.. lines.Where(StageProcess.IsEvent)];

    /// <summary>
    /// The whole JSON lines a process wrote: one killed mid-write leaves a torn last line, which can
    /// even end in a nested object's brace (and the output reader ends it with a newline), so a line
    /// counts only when it parses.
    /// </summary>
    private static string[] CompleteLines(string output) => [.. output.Split('\n').Where(IsWholeJson)];

    private static bool IsWholeJson(string line)
    {
        if (!line.EndsWith('}')) return false;
        try
        {
            using var doc = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string[] NamesOf(string jsonLine)
    {
        using var doc = JsonDocument.Parse(jsonLine);
        return [.. doc.RootElement.GetProperty("entities").EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];
    }

    [Fact]
    public async Task Sigkill_mid_run_then_restart_resumes_from_the_journal_with_every_entity_and_identical_states()
    {
        string scene = Worlds.Example("traffic");
        string journal = Path.Combine(_dir, "journal");
        var before = new List<string>();
        using (StageProcess sim = StageProcess.Start("sim", scene, "--steps", "1000000", "--journal", journal, "--every", "12", "--json"))
        {
            var clock = Stopwatch.StartNew();
            while (!CompleteLines(sim.Output).Any(l => !StageProcess.IsEvent(l) && StepOf(l) >= 1500))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "stage sim did not reach step 1500");
                await Task.Delay(20);
            }
            sim.Signal("KILL"); // no handler runs
            Assert.Equal(128 + 9, await sim.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            // Everything it wrote before it died was read; a torn last line is not a report.
            before.AddRange(CompleteLines(sim.Output));
        }
        string[] beforeEvents = Events(before);
        before = [.. Reports(before)];
        long lastSeen = StepOf(before[^1]);
        Assert.True(lastSeen >= 1500);

        (int exit, string output, string err) = Run("sim", scene, "--steps", "240", "--journal", journal, "--every", "12", "--json");
        Assert.True(exit == 0, err);
        System.Text.RegularExpressions.Match resumed = System.Text.RegularExpressions.Regex.Match(err, @"resumed at step (\d+)");
        Assert.True(resumed.Success, err);
        long resumedAt = long.Parse(resumed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // Within one journal interval (1 s = 120 steps) of where it was killed (≤ one report after lastSeen).
        Assert.InRange(resumedAt, lastSeen - 120 - 12, lastSeen + 12);
        string[] afterLines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] after = Reports(afterLines);
        Assert.Equal(resumedAt + 240, StepOf(after[^1]));
        Assert.Equal(resumedAt + 12, StepOf(after[0]));
        // Every entity there: scene entities and every crate spawned so far.
        string[] names = NamesOf(after[0]);
        string lastBeforeResume = before.Last(l => StepOf(l) <= resumedAt);
        Assert.Superset(NamesOf(lastBeforeResume).ToHashSet(), names.ToHashSet());
        Assert.True(names.Count(n => n.StartsWith("crates.", StringComparison.Ordinal)) >= 8, string.Join(", ", names));
        // Where the killed and the resumed process overlap, and everywhere against a third process
        // that ran straight through without a journal, the reports (hash and every entity) are identical.
        var firstRun = before.ToDictionary(StepOf);
        foreach (string line in after)
        {
            if (firstRun.TryGetValue(StepOf(line), out string? earlier)) Assert.Equal(earlier, line);
        }
        (exit, string straight, err) = Run("sim", scene, "--steps", (resumedAt + 240).ToString(System.Globalization.CultureInfo.InvariantCulture), "--every", "12", "--json");
        Assert.True(exit == 0, err);
        string[] straightLines = straight.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var straightRun = Reports(straightLines).ToDictionary(StepOf);
        foreach (string line in after) Assert.Equal(straightRun[StepOf(line)], line);
        foreach (string line in before) Assert.Equal(straightRun[StepOf(line)], line);
        // The log too: contacts, spawns and every other event, the same lines at the same steps —
        // before the kill and after the resume. (An event of the resume step itself may belong to
        // the step before the snapshot — a contact carries the step count after its step — so the
        // comparison starts after it.)
        string[] straightEvents = Events(straightLines);
        Assert.Contains(straightEvents, l => l.Contains("\"event\":\"contact\"", StringComparison.Ordinal));
        Assert.Equal(straightEvents.Where(l => StepOf(l) > resumedAt), Events(afterLines).Where(l => StepOf(l) > resumedAt));
        Assert.Equal(straightEvents.Take(beforeEvents.Length), beforeEvents);
    }

    [Fact]
    public void Snapshot_out_then_in_continues_to_the_same_hash_and_world_commands_read_it()
    {
        string scene = Worlds.Example("breakout");
        string at480 = Path.Combine(_dir, "480.snap"), at720 = Path.Combine(_dir, "720.snap"), straight720 = Path.Combine(_dir, "straight-720.snap");
        (int exit, string straight, string err) = Run("sim", scene, "--steps", "720", "--every", "240", "--json", "--snapshot-out", straight720);
        Assert.True(exit == 0, err);
        Assert.Equal(0, Run("sim", scene, "--steps", "480", "--every", "480", "--snapshot-out", at480).Exit);
        (exit, string resumed, err) = Run("sim", scene, "--snapshot-in", at480, "--steps", "240", "--every", "240", "--json", "--snapshot-out", at720);
        Assert.True(exit == 0, err);
        Assert.Equal(straight.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], Reports(resumed.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Single());
        Assert.Equal(720, StepOf(resumed.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]));

        (exit, string same, _) = Run("world", "diff", at720, straight720);
        Assert.Equal(0, exit);
        Assert.StartsWith("identical: step 720", same);
        (exit, string diff, _) = Run("world", "diff", at480, at720);
        Assert.Equal(1, exit);
        Assert.StartsWith("step: 480 → 720", diff);
        (exit, string inspect, _) = Run("world", "inspect", at720);
        Assert.Equal(0, exit);
        Assert.Contains("step 720 at 120 Hz", inspect);
        Assert.Contains("pane-3-3", inspect);

        byte[] bytes = File.ReadAllBytes(at720);
        bytes[bytes.Length / 3] ^= 0x01;
        File.WriteAllBytes(at720, bytes);
        (exit, _, err) = Run("world", "inspect", at720);
        Assert.Equal(1, exit);
        Assert.Contains(at720, err);
        Assert.Contains("checksum mismatch", err);
        (exit, _, err) = Run("sim", scene, "--snapshot-in", at720, "--steps", "1");
        Assert.Equal(1, exit);
        Assert.Contains(at720, err);
    }

    [Fact]
    public void Sim_reports_each_entity_per_reported_step_and_logs_rule_changes_and_breaks_at_their_step()
    {
        (int exit, string output, string err) = Run("sim", Worlds.Example("floating"), "--steps", "240", "--every", "120");
        Assert.True(exit == 0, err);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("step 120  t 1.000 s  hash ", lines[0]);
        // Then one line per entity: id, name, position, velocity.
        Assert.Matches(@"^\s+1 \S+\s+position \(-?\d+\.\d{4}, -?\d+\.\d{4}, -?\d+\.\d{4}\) m  velocity \(-?\d+\.\d{3}, -?\d+\.\d{3}, -?\d+\.\d{3}\) m/s", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("step 240  t 2.000 s  hash ", StringComparison.Ordinal));
        // The scene's setRules at 1.0 s takes effect at step 120, and says so.
        Assert.Contains("stage sim: step 120: rules changed: gravityScale 1 → 0.35", err);

        (exit, _, err) = Run("sim", Worlds.Example("breakout"), "--seconds", "3", "--every", "360");
        Assert.True(exit == 0, err);
        string[] breaks = [.. err.Split('\n').Where(l => l.Contains(" broke (", StringComparison.Ordinal))];
        Assert.NotEmpty(breaks);
        Assert.All(breaks, l => Assert.Matches(@"^stage sim: step \d+: joint \d+ '.+' broke \(", l));
        long[] steps = [.. breaks.Select(l => long.Parse(l.Split(' ')[3].TrimEnd(':'), System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(steps.Order(), steps);
    }

    [Fact]
    public void A_bad_scene_fails_with_every_fault_on_stderr()
    {
        string bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{ "entities": [ { "name": "a", "shape": { "kind": "box" } }, { "shape": { "kind": "sphere", "radiusM": 0 } } ] }""");
        (int exit, string output, string err) = Run("sim", bad, "--steps", "10");
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("entities[0].shape.sizeM: is required", err);
        Assert.Contains("entities[1].name: is required", err);
        Assert.Contains("entities[1].shape.radiusM: must be positive", err);
    }
    [Fact]
    public void Sim_logs_each_contact_with_both_entities_and_approach_speed_before_the_breaks_it_causes()
    {
        (int exit, string output, string err) = Run("sim", Worlds.Example("breakout"), "--steps", "45", "--every", "45", "--json");
        Assert.True(exit == 0, err);
        // On standard error: the ball meets the pane at 12 m/s at step 40, then the joints break, same step.
        string[] log = err.Split('\n');
        int contact = Array.FindIndex(log, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^stage sim: step 40: contact \d+ 'pane-\d-\d' – \d+ 'ball' at 1[12]\.\d{3} m/s$"));
        int firstBreak = Array.FindIndex(log, l => l.Contains(" broke (", StringComparison.Ordinal));
        Assert.True(contact >= 0, err);
        Assert.True(firstBreak > contact, err);
        Assert.StartsWith("stage sim: step 40: ", log[firstBreak]);
        // In --json: the same events as lines of their own, in the same order, before the step's report.
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] events = Events(lines);
        using JsonDocument first = JsonDocument.Parse(events.First(l => l.Contains("\"nameB\":\"ball\"", StringComparison.Ordinal)));
        JsonElement c = first.RootElement;
        Assert.Equal("contact", c.GetProperty("event").GetString());
        Assert.Equal(40, c.GetProperty("step").GetInt64());
        Assert.StartsWith("pane-", c.GetProperty("nameA").GetString());
        Assert.InRange(c.GetProperty("approachSpeedMps").GetDouble(), 11, 12.5);
        Assert.Equal(3, c.GetProperty("positionM").GetArrayLength());
        int firstJsonBreak = Array.FindIndex(lines, l => l.Contains("\"event\":\"jointBroke\"", StringComparison.Ordinal));
        int firstJsonContact = Array.FindIndex(lines, l => l.Contains("\"nameB\":\"ball\"", StringComparison.Ordinal));
        Assert.InRange(firstJsonContact, 0, firstJsonBreak - 1);
        Assert.Equal(45, StepOf(lines[^1]));
        Assert.False(StageProcess.IsEvent(lines[^1]));
    }

    [Fact]
    public void A_snapshot_with_a_valid_crc_and_a_65656_hz_step_rate_is_flagged_by_inspect_and_refused_by_sim()
    {
        string scene = Worlds.Example("breakout");
        string good = Path.Combine(_dir, "good.snap"), bad = Path.Combine(_dir, "bad.snap");
        Assert.Equal(0, Run("sim", scene, "--steps", "10", "--every", "10", "--snapshot-out", good).Exit);
        File.WriteAllBytes(bad, HostileNumberTests.Patched(File.ReadAllBytes(good),
            b => System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b[HostileNumberTests.StepHzAt..], 65656)));
        (int exit, string output, string err) = Run("sim", scene, "--snapshot-in", bad, "--steps", "3");
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains(bad, err);
        Assert.Contains("settings.stepHz: must be between 1 and 10000, not 65656", err);
        Assert.DoesNotContain("Unhandled", err);
        (exit, output, err) = Run("world", "inspect", bad);
        Assert.Equal(1, exit);
        Assert.Contains("step 10 at 65656 Hz", output);
        Assert.Contains("FAULT settings.stepHz: must be between 1 and 10000, not 65656", output);
        Assert.Contains("1 value out of range", err);
        (exit, output, _) = Run("world", "inspect", bad, "--json");
        Assert.Equal(1, exit);
        using JsonDocument doc = JsonDocument.Parse(output);
        Assert.Equal("settings.stepHz", doc.RootElement.GetProperty("faults")[0].GetProperty("path").GetString());
        (exit, output, _) = Run("world", "inspect", good);
        Assert.Equal(0, exit);
        Assert.Contains("snapshot v3", output);
        Assert.DoesNotContain("FAULT", output);
    }

    [Fact]
    public void Sim_of_the_ball_falling_off_the_hills_for_three_simulated_hours_ends_normally_with_the_ball_frozen_at_the_bound()
    {
        // Without the bound ODE aborts this run after 2.9 simulated hours (the ball 5.4 × 10⁸ m down).
        (int exit, string output, string err) = Run("sim", Worlds.Example("hills-edge"), "--seconds", "10800", "--every", "432000", "--json");
        Assert.True(exit == 0, err);
        Assert.Matches(@"stage sim: step \d+: entity 2 'ball' left the world at \(.+\) m \(outside the world bound .+\): frozen on the bound", err);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string left = Assert.Single(Events(lines));
        Assert.Contains("\"event\":\"leftBound\"", left);
        Assert.InRange(StepOf(left), 120 * 4, 120 * 6);
        string last = lines[^1];
        Assert.Equal(1_296_000, StepOf(last));
        using JsonDocument doc = JsonDocument.Parse(last);
        JsonElement ball = doc.RootElement.GetProperty("entities")[1];
        Assert.Equal(-100, ball.GetProperty("positionM")[1].GetDouble());
        Assert.Equal(0, ball.GetProperty("velocityMps")[1].GetDouble());
    }
}
