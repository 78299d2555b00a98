using Stage.Tests.Shared;

namespace Stage.World.Tests;

/// <summary>What issue 13 added to every step — the pre-step state kept while a joint can break, the world bound — allocates nothing once settled.</summary>
public class SteadyStateTests
{
    [Fact]
    public void A_step_with_intact_breakable_joints_and_the_bound_checked_allocates_nothing()
    {
        using StageWorld window = Worlds.LoadExample("breakout");
        window.Submit(new DestroyEntityCommand(window.Find("ball")!.Id));
        window.StepTo(240);
        Assert.All(window.Joints, j => Assert.Null(j.BrokenAtStep));
        Assert.Equal(0, SteadyState.AllocatedBytes(() => window.StepTo(window.StepCount + 10)));

        using StageWorld edge = Worlds.LoadExample("hills-edge");
        edge.StepTo(120 * 7);
        Assert.True(edge.Find("ball")!.Overrides.Frozen);
        Assert.Equal(0, SteadyState.AllocatedBytes(() => edge.StepTo(edge.StepCount + 10)));
    }

    [Fact]
    public void A_step_with_resting_contacts_allocates_nothing()
    {
        // Boxes at rest on the floor: contacts every step, none fast enough to be an event (a foreach over the
        // physics' contact list as an interface boxed its enumerator every step).
        using StageWorld shelf = Worlds.LoadExample("shelf");
        shelf.StepTo(120 * 10);
        shelf.StepTo(shelf.StepCount + 1);
        Assert.NotEmpty(shelf.Physics.Contacts);
        Assert.Equal(0, SteadyState.AllocatedBytes(() => shelf.StepTo(shelf.StepCount + 10)));
    }
}
