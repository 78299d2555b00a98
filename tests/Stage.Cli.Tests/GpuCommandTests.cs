using System.Text.Json;

namespace Stage.Cli.Tests;

public class GpuCommandTests
{
    [Fact]
    public void Gpu_info_lists_devices_and_the_chosen_one()
    {
        // tools/setup installs Mesa's lavapipe, so at least the CPU device is there on every machine.
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run(["gpu", "info", "--log-dir", Path.GetTempPath()], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        string text = output.ToString();
        Assert.StartsWith("Vulkan loader 1.", text);
        Assert.Contains("chosen: [", text);
        Assert.Contains("ok      dynamicRendering", text);
    }

    [Fact]
    public void Gpu_info_json_names_the_chosen_device_and_a_bad_choice_exits_1()
    {
        var output = new StringWriter();
        Assert.Equal(0, StageCli.Run(["gpu", "info", "--json"], output, new StringWriter()));
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        int chosen = json.RootElement.GetProperty("chosen").GetInt32();
        Assert.True(json.RootElement.GetProperty("devices")[chosen].GetProperty("suitable").GetBoolean());

        output = new StringWriter();
        Assert.Equal(1, StageCli.Run(["gpu", "info", "--device", "no-such-gpu-anywhere"], output, new StringWriter()));
        Assert.Contains("no usable device", output.ToString());
    }
}
