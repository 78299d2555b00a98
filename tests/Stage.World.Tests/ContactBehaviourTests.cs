using Stage.Physics;

namespace Stage.World.Tests;

/// <summary>
/// What docs/world.md ("What the physics does") says about contacts, measured (issue 13, item 5):
/// planes are solid half-spaces, a pair bounces with the larger restitution, a landing sinks in by
/// up to a step of travel, softness changes the bounce, and a scene's command destroys an entity.
/// </summary>
public class ContactBehaviourTests
{
    /// <summary>A ball of radius 0.1 m dropped from <paramref name="heightM"/> (its bottom) onto a floor; both of <paramref name="material"/> unless the ball has its own.</summary>
    private static (double PenetrationM, double BounceM) Drop(int hz, Material floor, Material ball, double heightM = 2)
    {
        using var world = new StageWorld(new WorldSettings { StepHz = hz, SleepEnabled = false });
        world.CreateEntity(Worlds.Floor(floor));
        Entity b = world.CreateEntity(Worlds.Ball("ball", new Vector3D(0, heightM + 0.1, 0), 0.1, ball));
        double lowest = double.PositiveInfinity, peak = 0;
        bool rising = false;
        while (world.StepCount < hz * 4)
        {
            world.Step();
            double vy = b.LinearVelocityMps.Y;
            if (!rising) lowest = Math.Min(lowest, b.PositionM.Y);
            if (vy > 0) rising = true;
            if (rising) peak = Math.Max(peak, b.PositionM.Y);
            if (rising && vy < 0) break;
        }
        return (0.1 - lowest, peak - 0.1);
    }

    [Fact]
    public void A_body_below_a_plane_is_pushed_out_at_up_to_10_mps()
    {
        using var world = new StageWorld();
        world.CreateEntity(Worlds.Floor());
        Entity ball = world.CreateEntity(Worlds.Ball("under", new Vector3D(0, -3, 0)));
        double fastest = 0;
        for (int i = 0; i < 60; i++)
        {
            world.Step();
            fastest = Math.Max(fastest, ball.LinearVelocityMps.Y);
        }
        // Solid below the plane: pushed up at the world's 10 m/s correcting speed, not more …
        Assert.InRange(fastest, 9.9, 10.0 + 1e-9);
        // … and it leaves the floor with that speed, flying up above it.
        Assert.True(ball.PositionM.Y > 1, $"at {ball.PositionM.Y} m after 0.5 s");
    }

    [Fact]
    public void A_pair_bounces_with_the_larger_of_the_two_restitutions()
    {
        (_, double floorBouncy) = Drop(240, new Material(0.5, 0.8, 0.01), new Material(0.5, 0, 0.01));
        (_, double ballBouncy) = Drop(240, new Material(0.5, 0, 0.01), new Material(0.5, 0.8, 0.01));
        (_, double both) = Drop(240, new Material(0.5, 0.4, 0.01), new Material(0.5, 0.8, 0.01));
        Assert.Equal(floorBouncy, ballBouncy);
        Assert.Equal(floorBouncy, both);
        Assert.InRange(floorBouncy / 2, 0.64 * 0.97, 0.64 * 1.03);
    }

    [Fact]
    public void A_landing_sinks_in_by_about_a_steps_travel_and_bounces_lower_by_as_much()
    {
        var rubber = new Material(0.5, 0.3);
        const double eSquaredH = 0.3 * 0.3 * 2;
        // 120 Hz: the ball meets the floor at 6.2 m/s, 5.2 cm a step, and is found 4.6 cm deep.
        (double depth120, double bounce120) = Drop(120, rubber, rubber);
        Assert.InRange(depth120, 0.04, 0.052);
        Assert.InRange(bounce120 / eSquaredH, 0.76, 0.82);
        // 240 Hz: a quarter of a step's travel deep, and the bounce within 4 % of e²h.
        (double depth240, double bounce240) = Drop(240, rubber, rubber);
        Assert.InRange(depth240, 0.003, 0.01);
        Assert.InRange(bounce240 / eSquaredH, 0.94, 1.0);
    }

    [Fact]
    public void Softness_changes_the_bounce_erp_pushes_the_depth_out_faster_and_cfm_absorbs()
    {
        const double eSquaredH = 0.3 * 0.3 * 2;
        (double depthErp, double bounceErp) = Drop(120, new Material(0.5, 0.3, SoftnessErp: 0.8), new Material(0.5, 0.3, SoftnessErp: 0.8));
        (double depthCfm, double bounceCfm) = Drop(120, new Material(0.5, 0.3, SoftnessCfm: 1e-3), new Material(0.5, 0.3, SoftnessCfm: 1e-3));
        // The same depth at landing (found before any contact acts) …
        Assert.InRange(depthErp, 0.04, 0.052);
        Assert.InRange(depthCfm, 0.04, 0.052);
        // … but a stiff correction throws the ball out of it: several times e²h (energy the bounce never had).
        Assert.True(bounceErp > 3 * eSquaredH, $"ERP 0.8 bounced {bounceErp / eSquaredH} × e²h");
        // A soft contact (CFM 10⁻³) swallows the bounce.
        Assert.True(bounceCfm < 0.1 * eSquaredH, $"CFM 1e-3 bounced {bounceCfm / eSquaredH} × e²h");
    }

    [Fact]
    public void A_scene_command_destroys_an_entity_at_its_step()
    {
        SceneLoadResult loaded = SceneLoader.LoadText("""
            { "entities": [ { "name": "floor", "shape": { "kind": "plane" } },
                            { "name": "crate", "shape": { "kind": "box", "sizeM": [0.5, 0.5, 0.5] }, "positionM": [0, 0.25, 0] } ],
              "commands": [ { "atS": 0.5, "entity": "crate", "destroy": true } ] }
            """, "destroy.json");
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Faults));
        using StageWorld world = loaded.Scene!.Build();
        var destroyed = new List<EntityDestroyedEvent>();
        world.EventRaised += (_, e) => { if (e is EntityDestroyedEvent d) destroyed.Add(d); };
        world.StepTo(59);
        Assert.NotNull(world.Find("crate"));
        world.StepTo(61);
        Assert.Null(world.Find("crate"));
        Assert.Equal(60, Assert.Single(destroyed).Step);
    }
}
