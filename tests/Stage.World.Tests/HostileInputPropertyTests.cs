using System.Buffers.Binary;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stage.Physics;
using Stage.Tests.Shared;

namespace Stage.World.Tests;

/// <summary>
/// Random scenes and random snapshot headers full of hostile numbers never produce an unhandled
/// exception or an abort: each runs a few steps of <c>stage sim</c> (and <c>stage world inspect</c>)
/// in a child process, which ODE's abort would kill with exit 134 (issue 13, item 3).
/// </summary>
public sealed class HostileInputPropertyTests : IDisposable
{
    private static readonly double[] Hostile =
    [
        0, -1, 0.5, 2, 9.81, -9.81, 100, 1e-300, 1e-9, 1e-5, 1e4 + 1, 1e6, -1e6 - 1, 1e9, -1e9, 65656, 2147483648, 1e300, -1e300, double.MaxValue,
    ];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stage-hostile-" + Guid.NewGuid().ToString("N"));

    public HostileInputPropertyTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static Gen<string> Num => Gen.OneOf(Gen.Elements(Hostile), Gen.Choose(-2000, 2000).Select(i => i / 100.0)).Select(F);

    /// <summary>
    /// A scene that runs as it is, with a number in each slot (<c>{0}</c>, <c>{1}</c>, …); the
    /// generator puts hostile values into a few of them, so some scenes stay valid and run.
    /// </summary>
    private const string Template = """
        { "stepHz": {0}, "solverIterations": {1}, "seed": 3,
          "bound": { "minM": [{2}, -50, -50], "maxM": [50, {3}, 50], "action": "freeze" },
          "rules": { "gravityMps2": [0, {4}, 0], "gravityScale": {5}, "timeScale": {6}, "linearDampingPerS": {7}, "contactEventThresholdMps": {8} },
          "materials": { "m": { "friction": {9}, "restitution": {10}, "softnessCfm": {11} } },
          "entities": [
            { "name": "floor", "shape": { "kind": "plane", "offsetM": {12} }, "material": "m" },
            { "name": "a", "shape": { "kind": "sphere", "radiusM": {13} }, "massKg": {14}, "positionM": [{15}, 1, 0],
              "linearVelocityMps": [0, {16}, 0], "angularVelocityRadps": [{17}, 0, 0], "rotationDeg": [{18}, 0, 0], "material": "m" },
            { "name": "b", "shape": { "kind": "box", "sizeM": [{19}, 0.2, 0.2] }, "massKg": 2, "positionM": [0.5, {20}, 0], "overrides": { "gravityScale": {21} } },
            { "name": "c", "shape": { "kind": "capsule", "radiusM": 0.1, "lengthM": {22} }, "positionM": [0, 2, {23}] },
            { "name": "s", "positionM": [0, 3, 0], "behaviour": { "kind": "spawner", "intervalS": {24}, "maxCount": 3, "jitterM": [{25}, 0, 0],
              "template": { "shape": { "kind": "sphere", "radiusM": {26} }, "positionM": [0, {27}, 0] } } },
            { "name": "spin", "shape": { "kind": "box", "sizeM": [1, 0.1, 0.1] }, "positionM": [3, 1, 0], "behaviour": { "kind": "spin", "axis": [0, 1, 0], "rateDegps": {28} } } ],
          "joints": [ { "name": "j", "kind": "hinge", "a": "a", "b": "b", "anchorM": [0.25, {29}, 0], "axis": [0, 0, {30}], "strength": { "forceN": {31} } } ],
          "commands": [ { "atS": {32}, "setRules": { "gravityScale": {33} } },
                        { "step": 2, "entity": "a", "setVelocity": { "linearMps": [{34}, 0, 0] } },
                        { "step": 3, "entity": "c", "setOverrides": { "gravityScale": {35} } } ] }
        """;

    private static readonly string[] Sane =
    [
        "120", "20", "-50", "50", "-9.81", "1", "1", "0", "0.5", "0.6", "0.2", "0", "0", "0.1", "1", "0", "0", "0", "0",
        "0.4", "1", "1", "0.3", "0", "0.01", "0.1", "0.1", "0", "90", "1", "1", "50", "0.01", "0.5", "3", "2",
    ];

    private static readonly int[] IntegerSlots = [0, 1];

    private static Gen<(int Slot, string Value)[]> Substitutions =>
        (from slot in Gen.Choose(0, Sane.Length - 1)
         from value in IntegerSlots.Contains(slot) ? Int : Num
         select (Slot: slot, Value: value)).ArrayOf().Select(a => a.Take(3).ToArray());

    private static string Scene((int Slot, string Value)[] substitutions)
    {
        string[] values = [.. Sane];
        foreach ((int slot, string value) in substitutions) values[slot] = value;
        string json = Template;
        for (int i = values.Length - 1; i >= 0; i--) json = json.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", values[i], StringComparison.Ordinal);
        return json;
    }

    private static Gen<string> Int => Gen.Elements("0", "-5", "1", "20", "120", "10000", "10001", "65656", "2147483647", "4294967296");

    /// <summary>What may come out of any run: success or a refusal, never a crash.</summary>
    private static void AssertNoCrash(string what, int exit, string output, string error)
    {
        string shown = $"{what}: exit {exit}\nstdout: {output[..Math.Min(output.Length, 2000)]}\nstderr: {error[..Math.Min(error.Length, 4000)]}";
        Assert.True(exit is 0 or 1, shown);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain("ODE INTERNAL ERROR", error, StringComparison.Ordinal);
        Assert.DoesNotContain("ODE Message", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\n\s+at \S+\(", error);
    }

    [Fact]
    public void The_scene_template_without_substitutions_is_valid()
    {
        SceneLoadResult loaded = SceneLoader.LoadText(Scene([]), "template.json");
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Faults));
    }

    [Property(MaxTest = 24)]
    public Property Random_hostile_scenes_run_or_are_refused_with_their_faults_never_crash()
    {
        return Prop.ForAll(Substitutions.ToArbitrary(), substitutions =>
        {
            string json = Scene(substitutions);
            string path = Path.Combine(_dir, $"scene-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, json);
            (int exit, string output, string error) = StageProcess.Run("sim", path, "--steps", "5", "--every", "5");
            AssertNoCrash(json, exit, output, error);
            SceneLoadResult loaded = SceneLoader.LoadFile(path);
            if (loaded.IsValid)
            {
                // A scene the validator takes runs its steps: it reports step 5.
                Assert.True(exit == 0, $"{json}\n{error}");
                Assert.Contains("step 5 ", output, StringComparison.Ordinal);
            }
            else
            {
                // Refused with every fault at its path, and nothing run.
                Assert.Equal(1, exit);
                Assert.Empty(output);
                foreach (Stage.Core.Configuration.ConfigFault fault in loaded.Faults) Assert.Contains(fault.ToString(), error, StringComparison.Ordinal);
            }
            File.Delete(path);
        });
    }

    /// <summary>Header fields a file can carry: (offset in the file, size in bytes: 1, 4, 8 integer or 'd' double).</summary>
    private static readonly (int Offset, char Kind)[] HeaderFields =
    [
        (HostileNumberTests.StepHzAt, 'i'), (HostileNumberTests.SeedAt, 'l'), (HostileNumberTests.IterationsAt, 'i'), (HostileNumberTests.SleepAt, 'b'),
        .. Enumerable.Range(0, 6).Select(i => (HostileNumberTests.BoundAt + 8 * i, 'd')),
        (HostileNumberTests.ActionAt, 'b'), (HostileNumberTests.SunAt, 'b'),
        .. Enumerable.Range(0, 9).Select(i => (HostileNumberTests.RulesAt + 8 * i, 'd')),
        (HostileNumberTests.RulesAt + 72, 'l'), // the step
        (HostileNumberTests.RulesAt + 72 + 32, 'l'), // the sun's clock
    ];

    private static Gen<(int Field, double Value)[]> HeaderPatch =>
        (from index in Gen.Choose(0, HeaderFields.Length - 1)
         from value in Gen.OneOf(Gen.Elements(Hostile), Gen.Elements(double.NaN, double.NegativeInfinity, -2147483649, 255, 3, 1e7))
         select (Field: index, Value: value)).ArrayOf().Select(a => a.Take(4).ToArray());

    [Property(MaxTest = 15)]
    public Property Random_snapshot_headers_with_valid_crcs_are_run_or_refused_naming_the_field_never_crash()
    {
        string scene = Worlds.Example("breakout");
        string good = Path.Combine(_dir, "good.snap");
        (int made, _, string why) = StageProcess.Run("sim", scene, "--steps", "45", "--every", "45", "--snapshot-out", good);
        Assert.True(made == 0, why);
        byte[] snapshot = File.ReadAllBytes(good);
        return Prop.ForAll(HeaderPatch.ToArbitrary(), patch =>
        {
            byte[] bytes = HostileNumberTests.Patched(snapshot, b =>
            {
                foreach ((int index, double value) in patch)
                {
                    (int at, char kind) = HeaderFields[index];
                    switch (kind)
                    {
                        case 'd': BinaryPrimitives.WriteDoubleLittleEndian(b[at..], value); break;
                        case 'i': BinaryPrimitives.WriteInt32LittleEndian(b[at..], double.IsFinite(value) ? (int)Math.Clamp(value, int.MinValue, int.MaxValue) : 0); break;
                        case 'l': BinaryPrimitives.WriteInt64LittleEndian(b[at..], double.IsFinite(value) ? (long)Math.Clamp(value, long.MinValue, long.MaxValue) : -1); break;
                        default: b[at] = double.IsFinite(value) ? (byte)Math.Clamp(value, 0, 255) : (byte)7; break;
                    }
                }
            });
            string path = Path.Combine(_dir, $"patched-{Guid.NewGuid():N}.snap");
            File.WriteAllBytes(path, bytes);
            string shown = string.Join(", ", patch.Select(p => $"{HeaderFields[p.Field].Offset}={F(p.Value)}"));
            (int exit, string output, string error) = StageProcess.Run("sim", scene, "--snapshot-in", path, "--steps", "3", "--every", "3");
            AssertNoCrash($"sim {shown}", exit, output, error);
            (int inspectExit, string listing, string inspectError) = StageProcess.Run("world", "inspect", path);
            AssertNoCrash($"inspect {shown}", inspectExit, listing, inspectError);
            string? refusal = null;
            try
            {
                WorldCodec.DecodeSnapshot(bytes, path);
            }
            catch (WorldFileException e)
            {
                refusal = e.Message;
            }
            if (refusal is null)
            {
                Assert.True(exit == 0 && inspectExit == 0, $"{shown}: a snapshot that decodes must run and inspect cleanly\n{error}\n{inspectError}");
            }
            else
            {
                // Both commands refuse it, naming the file; inspect lists each field out of range.
                Assert.True(exit == 1, $"{shown}: {refusal}\n{error}");
                Assert.Contains(path, error, StringComparison.Ordinal);
                Assert.Equal(1, inspectExit);
                if (refusal.Contains("out of range", StringComparison.Ordinal))
                {
                    Assert.Contains("FAULT ", listing, StringComparison.Ordinal);
                    Assert.Matches(@"FAULT (settings|rules|step|sunUtcTicks|entities|spaceOrder)", listing);
                }
            }
            File.Delete(path);
        });
    }
}
