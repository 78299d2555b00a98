using Stage.Core.Configuration;
using Stage.Physics;

namespace Stage.World.Tests;

public class SceneFileTests
{
    [Theory]
    [InlineData("hills")]
    [InlineData("breakout")]
    [InlineData("traffic")]
    [InlineData("floating")]
    [InlineData("hills-edge")]
    [InlineData("shelf")]
    public void Example_worlds_load_without_faults_and_run(string name)
    {
        using StageWorld world = Worlds.LoadExample(name);
        Assert.NotEmpty(world.Entities);
        world.StepTo(240);
        Assert.All(world.Entities, e => Assert.True(e.PositionM.IsFinite));
    }

    [Fact]
    public void Hills_ball_rolls_down_across_and_up_the_opposite_slope()
    {
        using StageWorld world = Worlds.LoadExample("hills");
        Entity ball = world.Find("ball")!;
        double startX = ball.PositionM.X;
        double maxX = double.NegativeInfinity, minY = double.PositiveInfinity;
        for (int i = 0; i < 120 * 5; i++)
        {
            world.Step();
            maxX = Math.Max(maxX, ball.PositionM.X);
            minY = Math.Min(minY, ball.PositionM.Y);
        }
        Assert.True(startX < -6);
        Assert.InRange(minY, 0.25, 0.4);     // through the bottom of the valley (radius 0.3)
        Assert.True(maxX > 5, $"reached only x = {maxX}"); // and up the other side, short of its start height (friction)
        Assert.True(maxX < -startX);
    }

    [Fact]
    public void Traffic_vehicles_leave_and_reenter_a_walls_view_and_the_spawner_adds_crates()
    {
        using StageWorld world = Worlds.LoadExample("traffic");
        // A wall's camera view: looking down −Z from (0, 2, 8) with 60° field of view, 1 to 30 m.
        var view = System.Numerics.Matrix4x4.CreateLookAt(new(0, 2, 8), new(0, 2, 0), System.Numerics.Vector3.UnitY);
        var projection = System.Numerics.Matrix4x4.CreatePerspectiveFieldOfView(MathF.PI / 3, 16f / 9, 1, 30);
        Frustum frustum = Frustum.FromViewProjection(view * projection);
        long car = world.Find("car-1")!.Id;
        var seen = new List<bool>();
        for (int i = 0; i < 120 * 20; i += 30)
        {
            world.StepTo(i);
            seen.Add(world.InFrustum(frustum).Any(e => e.Id == car));
        }
        Assert.Contains(true, seen);
        Assert.Contains(false, seen);
        int changes = seen.Zip(seen.Skip(1)).Count(p => p.First != p.Second);
        Assert.True(changes >= 3, $"car-1 changed visibility {changes} times");
        Assert.Equal(12, world.WithTag("crate").Count);
        Assert.Equal(12, world.Find("crates")!.SpawnedCount);
    }

    [Fact]
    public void Floating_cut_floats_the_chosen_entities_of_the_breakout_set()
    {
        using StageWorld breakout = Worlds.LoadExample("breakout");
        using StageWorld floating = Worlds.LoadExample("floating");
        Assert.Equal(breakout.Entities.Select(e => e.Name), floating.Entities.Select(e => e.Name));
        floating.StepTo(240);
        Entity top = floating.Find("crate-5")!;
        Assert.True(top.Overrides.Floats);
        Assert.True(top.PositionM.Y > 2.2, $"crate-5 at {top.PositionM.Y}");
        Assert.Equal(0.35, floating.Rules.GravityScale);
    }

    [Fact]
    public void A_bad_scene_reports_every_fault_with_its_path()
    {
        const string json = """
        {
          "stepHz": 0,
          "colour": "red",
          "rules": { "timeScale": -1, "gravityMps2": [0, -9.81] },
          "materials": { "steel": { "restitution": 2 } },
          "entities": [
            { "name": "floor", "shape": { "kind": "plane", "radiusM": 1 }, "body": "dynamic" },
            { "name": "ball", "shape": { "kind": "sphere", "radiusM": -1 }, "material": "rubber" },
            { "name": "ball", "positionM": [0, "x", 0], "appearance": { "primitive": "mesh" } },
            { "shape": { "kind": "teapot" }, "behaviour": { "kind": "loop", "waypointsM": [[0, 0, 0]], "speedMps": 0 } },
            { "name": "spawner", "behaviour": { "kind": "spawner", "intervalS": 0, "maxCount": 0, "template": { "shape": { "kind": "box" } } } }
          ],
          "joints": [ { "name": "j", "kind": "hinge", "a": "nobody", "b": "floor", "strength": { "forceN": -5 } } ],
          "commands": [ { "atS": 1, "entity": "ghost", "setOverrides": { "floats": "yes" } }, { "step": 3 } ]
        }
        """;
        SceneLoadResult result = SceneLoader.LoadText(json, "bad.json");
        Assert.False(result.IsValid);
        string[] paths = [.. result.Faults.Select(f => f.Path)];
        string[] expected =
        [
            "stepHz", "colour", "rules.timeScale", "rules.gravityMps2", "materials.steel.friction", "materials.steel.restitution",
            "entities[0].shape.radiusM", "entities[0].body", "entities[1].shape.radiusM", "entities[1].material",
            "entities[2].name", "entities[2].positionM", "entities[2].appearance.mesh",
            "entities[3].name", "entities[3].shape.kind", "entities[3].behaviour.speedMps", "entities[3].behaviour.waypointsM",
            "entities[4].behaviour.template.shape.sizeM", "entities[4].behaviour.intervalS", "entities[4].behaviour.maxCount",
            "joints[0].a", "joints[0].b", "joints[0].anchorM", "joints[0].axis", "joints[0].strength.forceN",
            "commands[0].entity", "commands[0].setOverrides.floats", "commands[1].setRules",
        ];
        foreach (string path in expected) Assert.True(paths.Contains(path), $"no fault at {path}; faults:\n{string.Join("\n", result.Faults)}");
        Assert.Equal(expected.Length, paths.Length);
    }

    [Fact]
    public void Malformed_json_is_reported_with_line_and_column()
    {
        SceneLoadResult result = SceneLoader.LoadText("{\n  \"entities\": [ }", "broken.json");
        ConfigFault fault = Assert.Single(result.Faults);
        Assert.Contains("line 2", fault.Message);
    }

    [Fact]
    public void A_body_with_appearance_none_collides_but_is_not_drawn_and_other_strings_are_faults()
    {
        const string json = """
        {
          "entities": [
            { "name": "ground", "shape": { "kind": "plane" }, "appearance": "none" },
            { "name": "floor", "shape": { "kind": "plane" } },
            { "name": "ball", "shape": { "kind": "sphere", "radiusM": 0.1 }, "massKg": 1, "positionM": [0, 1, 0] }
          ]
        }
        """;
        SceneLoadResult result = SceneLoader.LoadText(json, "ok.json");
        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        using StageWorld world = result.Scene!.Build();
        Entity ground = world.Find("ground")!;
        Assert.Null(ground.Appearance);
        Assert.NotNull(ground.Body);
        // Without the member a body keeps its default look (a grey plane).
        Assert.Equal(PrimitiveKind.Plane, world.Find("floor")!.Appearance!.Primitive);

        SceneLoadResult bad = SceneLoader.LoadText("""{ "entities": [ { "name": "g", "shape": { "kind": "plane" }, "appearance": "hidden" } ] }""", "bad.json");
        ConfigFault fault = Assert.Single(bad.Faults);
        Assert.Equal("entities[0].appearance", fault.Path);
        Assert.Contains("\"none\"", fault.Message);
    }

    [Fact]
    public void Scene_values_arrive_in_the_world()
    {
        const string json = """
        {
          "stepHz": 240, "seed": 5,
          "rules": { "gravityMps2": [0, -1.62, 0], "linearDampingPerS": 0.1 },
          "materials": { "ice": { "friction": 0.05, "restitution": 0.2 } },
          "entities": [
            { "name": "floor", "shape": { "kind": "plane" }, "material": "ice" },
            { "name": "puck", "tags": ["hero", "ice"], "shape": { "kind": "cylinder", "radiusM": 0.1, "lengthM": 0.03 }, "massKg": 0.17,
              "positionM": [1, 0.5, 2], "rotationDeg": [90, 0, 0], "linearVelocityMps": [3, 0, 0], "material": "ice",
              "appearance": { "primitive": "cylinder", "colorLinear": [0.01, 0.01, 0.01] }, "overrides": { "gravityScale": 2 } }
          ],
          "commands": [ { "atS": 0.5, "setRules": { "gravityScale": 0.5 } } ]
        }
        """;
        SceneLoadResult result = SceneLoader.LoadText(json, "ok.json");
        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        using StageWorld world = result.Scene!.Build();
        Assert.Equal(240, world.Settings.StepHz);
        Assert.Equal(new Vector3D(0, -1.62, 0), world.Rules.GravityMps2);
        Entity puck = world.Find("puck")!;
        Assert.Equal(["hero", "ice"], puck.Tags);
        Assert.Equal(0.17, puck.Body!.MassKg);
        Assert.Equal(0.05, puck.Body.Material.Friction);
        Assert.Equal(new EntityOverrides(GravityScale: 2), puck.Overrides);
        Assert.Equal(3.0, puck.LinearVelocityMps.X);
        Assert.Equal(PrimitiveKind.Cylinder, puck.Appearance!.Primitive);
        Assert.Equal(Math.Sqrt(0.5), puck.Orientation.W, 12);
        PendingCommand pending = Assert.Single(world.PendingCommands);
        Assert.Equal(120, pending.Step);
        var events = new List<WorldEvent>();
        world.EventRaised += (_, e) => events.Add(e);
        world.StepTo(121);
        RulesChangedEvent changed = Assert.Single(events.OfType<RulesChangedEvent>());
        Assert.Equal(120, changed.Step);
        Assert.Equal(0.5, world.Rules.GravityScale);
        Assert.Equal(-1.62, world.Rules.GravityMps2.Y);
    }

    [Fact]
    public void Scene_commands_create_and_remove_joints_at_their_steps()
    {
        const string json = """
            { "entities": [
                { "name": "floor", "body": "static", "shape": { "kind": "plane" } },
                { "name": "a", "body": "dynamic", "shape": { "kind": "sphere", "radiusM": 0.1 }, "massKg": 1, "positionM": [0, 1, 0], "overrides": { "floats": true } },
                { "name": "b", "body": "dynamic", "shape": { "kind": "sphere", "radiusM": 0.1 }, "massKg": 1, "positionM": [0.5, 1, 0] } ],
              "joints": [ { "name": "declared", "kind": "ball", "a": "b", "anchorM": [0.5, 1.5, 0] } ],
              "commands": [
                { "step": 50, "destroyJoint": "held" },
                { "step": 10, "createJoint": { "name": "held", "kind": "fixed", "a": "a", "b": "b", "strength": { "forceN": 1000 } } },
                { "step": 70, "destroyJoint": "declared" } ] }
            """;
        SceneLoadResult loaded = SceneLoader.LoadText(json, "joints.json");
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Faults));
        using StageWorld world = loaded.Scene!.Build();
        var events = new List<WorldEvent>();
        world.EventRaised += (_, e) => events.Add(e);
        world.StepTo(100);
        Assert.Equal(
            ["10 created 2 held", "50 removed 2 held", "70 removed 1 declared"],
            events.Select(e => e switch
            {
                JointCreatedEvent c => $"{c.Step} created {c.JointId} {c.JointName}",
                JointDestroyedEvent d => $"{d.Step} removed {d.JointId} {d.JointName}",
                _ => null,
            }).OfType<string>());
        Assert.Empty(world.Joints);
        Assert.DoesNotContain(events, e => e is CommandRejectedEvent);
    }

    [Fact]
    public void A_joint_removal_naming_no_joint_or_one_made_later_is_a_fault_at_its_path()
    {
        const string json = """
            { "entities": [ { "name": "a", "body": "dynamic", "shape": { "kind": "sphere", "radiusM": 0.1 }, "massKg": 1 } ],
              "commands": [
                { "step": 5, "destroyJoint": "later" },
                { "step": 9, "createJoint": { "name": "later", "kind": "ball", "a": "a", "anchorM": [0, 1, 0] } },
                { "step": 9, "destroyJoint": "ghost" },
                { "step": 9, "entity": "a", "createJoint": { "name": "x", "kind": "weld", "a": "nobody" } } ] }
            """;
        SceneLoadResult result = SceneLoader.LoadText(json, "bad-joints.json");
        Assert.False(result.IsValid);
        string[] faults = [.. result.Faults.Select(f => f.ToString())];
        Assert.Contains(faults, f => f.StartsWith("commands[0].destroyJoint:", StringComparison.Ordinal) && f.Contains("created at step 9, after this removal"));
        Assert.Contains(faults, f => f.StartsWith("commands[2].destroyJoint:", StringComparison.Ordinal) && f.Contains("names no joint ('ghost')"));
        Assert.Contains(faults, f => f.StartsWith("commands[3].entity:", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("commands[3].createJoint.kind:", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("commands[3].createJoint.a:", StringComparison.Ordinal));
    }
}

/// <summary>A look's metallic and roughness: read from the scene, kept by snapshots; a look without them encodes as before.</summary>
public class AppearanceMaterialTests
{
    [Fact]
    public void Metallic_and_roughness_load_and_survive_a_snapshot_and_leave_other_looks_encoded_as_before()
    {
        const string json = """
        {
          "entities": [
            { "name": "chrome", "shape": { "kind": "sphere", "radiusM": 0.5 }, "positionM": [0, 1, 0],
              "appearance": { "primitive": "sphere", "colorLinear": [0.9, 0.9, 0.9], "metallic": 1, "roughness": 0.2 } },
            { "name": "plain", "shape": { "kind": "box", "sizeM": [1, 1, 1] }, "positionM": [2, 1, 0],
              "appearance": { "primitive": "box", "colorLinear": [0.5, 0.5, 0.5] } }
          ]
        }
        """;
        SceneLoadResult result = SceneLoader.LoadText(json, "looks.json");
        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        using StageWorld world = result.Scene!.Build();
        Assert.Equal(1.0, world.Find("chrome")!.Appearance!.Metallic);
        Assert.Equal(0.2, world.Find("chrome")!.Appearance!.Roughness);
        Assert.False(world.Find("plain")!.Appearance!.HasMaterial);
        WorldImage back = WorldCodec.Decode(WorldCodec.Encode(WorldImage.Capture(world)));
        Assert.Equal(world.Find("chrome")!.Appearance, back.Entities.Single(e => e.Definition.Name == "chrome").Definition.Appearance);
        Assert.Null(back.Entities.Single(e => e.Definition.Name == "plain").Definition.Appearance!.Metallic);

        SceneLoadResult bad = SceneLoader.LoadText(json.Replace("\"roughness\": 0.2", "\"roughness\": 2", StringComparison.Ordinal), "bad.json");
        Assert.False(bad.IsValid);
        Assert.Contains(bad.Faults, f => f.ToString().Contains("roughness", StringComparison.Ordinal));
    }
}
