using Stage.Engine.Control;
using Stage.Hosting.Rendering;
using Stage.Osc;
using Stage.Render.Scene;

namespace Stage.Hosting.Tests;

/// <summary>/stage/camera/exposure: through the engine's command registry, applied on the engine thread, bounds refused.</summary>
public sealed class ExposureCommandTests
{
    [Fact]
    public void The_exposure_command_sets_the_scene_exposure_on_the_engine_thread_and_refuses_out_of_range_values()
    {
        var registry = new CommandRegistry();
        var queue = new EngineCommandQueue();
        var scene = new RenderScene();
        ExposureCommand.Register(registry, queue, scene, TimeSpan.FromSeconds(5));
        using var engine = new CancellationTokenSource();
        var loop = new Thread(() =>
        {
            while (!engine.IsCancellationRequested)
            {
                queue.Drain();
                Thread.Sleep(1);
            }
        });
        loop.Start();
        try
        {
            ControlReply set = Assert.Single(registry.Execute(new OscMessageData("/stage/camera/exposure", OscValue.FromFloat32(12.5f)), "test")).Reply;
            Assert.True(set.Ok, set.Text);
            Assert.Equal("exposure 12.5 EV", set.Text);
            Assert.Equal(12.5f, scene.ExposureEv);
            ControlReply bad = Assert.Single(registry.Execute(new OscMessageData("/stage/camera/exposure", OscValue.FromFloat32(99)), "test")).Reply;
            Assert.False(bad.Ok);
            Assert.Contains("outside", bad.Text);
            Assert.Equal(12.5f, scene.ExposureEv);
            Assert.Contains(registry.Commands, c => c.Address == ExposureCommand.Address);
        }
        finally
        {
            engine.Cancel();
            loop.Join();
        }
    }
}
