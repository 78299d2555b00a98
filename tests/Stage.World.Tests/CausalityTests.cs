namespace Stage.World.Tests;

public class CausalityTests
{
    [Fact]
    public void Pane_joints_break_only_at_or_after_the_balls_first_contact_with_the_pane()
    {
        using StageWorld world = Worlds.LoadExample("breakout");
        var events = new List<WorldEvent>();
        world.EventRaised += (_, e) => events.Add(e);
        long ball = world.Find("ball")!.Id;
        var pane = world.WithTag("pane").Select(e => e.Id).ToHashSet();
        world.StepTo(120 * 3);
        int firstContact = events.FindIndex(e => e is ContactEvent c && (c.EntityA == ball && pane.Contains(c.EntityB) || c.EntityB == ball && pane.Contains(c.EntityA)));
        Assert.True(firstContact >= 0, "the ball never touched the pane");
        var breaks = events.Select((e, i) => (e, i)).Where(x => x.e is JointBrokeEvent).ToList();
        Assert.NotEmpty(breaks);
        long contactStep = events[firstContact].Step;
        Assert.All(breaks, b =>
        {
            Assert.True(b.e.Step >= contactStep, $"{b.e} before the ball's first contact at step {contactStep}");
            Assert.True(b.i > firstContact, $"{b.e} listed before the contact event");
        });
        // Before the ball arrives the pane holds: nothing breaks in the first 0.2 s.
        Assert.True(contactStep > 24, $"first contact at step {contactStep}");
        Assert.All(world.Joints.Where(j => j.BrokenAtStep is not null), j => Assert.True(j.BrokenAtStep >= contactStep));
    }

    [Fact]
    public void The_pane_stands_unbroken_without_the_ball()
    {
        using StageWorld world = Worlds.LoadExample("breakout");
        world.Submit(new DestroyEntityCommand(world.Find("ball")!.Id));
        world.StepTo(120 * 5);
        Assert.All(world.Joints, j => Assert.Null(j.BrokenAtStep));
        Assert.InRange(world.Find("pane-3-3")!.PositionM.Y, 1.85, 1.9);
    }
}
