using System.Text.Json;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

public class MonitorsCommandTests
{
    [Fact]
    public void Monitors_lists_the_x_servers_screen_and_its_modes()
    {
        using var xvfb = new XvfbServer(1280, 720);
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(StageCli.Run(["monitors", "--display", xvfb.Display, "--all-modes"], output, error) == 0, error.ToString());
        string text = output.ToString();
        Assert.StartsWith("[0] ", text);
        Assert.Contains("(primary)", text);
        Assert.Contains("current 1280 × 720 @ ", text);

        output = new StringWriter();
        Assert.Equal(0, StageCli.Run(["monitors", "--display", xvfb.Display, "--json"], output, error));
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        Assert.Equal(1280, json.RootElement[0].GetProperty("current").GetProperty("width").GetInt32());
    }
}
