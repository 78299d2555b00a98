using Stage.Tests.Shared;
using Stage.Windowing.Glfw;

namespace Stage.Windowing.Tests;

/// <summary>GLFW is process-global, so every GLFW test lives in this one class and runs one at a time.</summary>
public sealed class GlfwMonitorTests
{
    [Fact]
    public void Monitors_of_an_x_server_are_listed_with_their_modes()
    {
        using var xvfb = new XvfbServer(1920, 1080);
        using GlfwSession glfw = GlfwSession.Open(xvfb.Display);
        MonitorInfo monitor = Assert.Single(glfw.Monitors());
        Assert.True(monitor.IsPrimary);
        Assert.Equal((1920, 1080), (monitor.Current.Width, monitor.Current.Height));
        Assert.Contains(monitor.Modes, m => m.Width == 1920 && m.Height == 1080);
        Assert.Equal(8, monitor.Current.BitsPerChannel);
    }

    [Fact]
    public void Without_a_display_the_error_says_what_to_do()
    {
        GlfwException e = Assert.Throws<GlfwException>(() => GlfwSession.Open(""));
        Assert.Contains("DISPLAY", e.Message);
        Assert.Contains("Xvfb", e.Message);
    }

    [Fact]
    public void The_version_is_glfw_3_3()
    {
        Assert.StartsWith("3.3", GlfwSession.Version);
    }
}
