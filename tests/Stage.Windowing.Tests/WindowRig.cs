using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Time;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Tests.Shared;
using Stage.Vulkan;
using Stage.Windowing.Glfw;
using Stage.Windowing.Outputs;
using Stage.Core.Frames;

namespace Stage.Windowing.Tests;

/// <summary>Test-rig edits.</summary>
internal static class TestConfigs
{
    /// <summary>The configuration with only its first output canvas (the others' regions are dropped with it).</summary>
    public static StageConfig WithOneOutput(this StageConfig config) => config with { Outputs = [config.Outputs[0]] };
}

/// <summary>
/// A private X server, GLFW on it, a Vulkan instance with GLFW's surface extensions and the validation
/// layer, lavapipe, and a window output for a stage configuration. Dispose tears down in order and
/// fails the test on any validation message (teardown included).
/// </summary>
internal sealed class WindowRig : IDisposable
{
    private readonly GpuInstance _instance;
    private readonly GpuDevice _device;
    private bool _disposed;

    public WindowRig(StageConfig config, WindowOutputOptions? options = null, int screenWidth = 1280, int screenHeight = 720, int screenDepth = 24)
    {
        Config = config;
        Xvfb = new XvfbServer(screenWidth, screenHeight, screenDepth);
        Glfw = GlfwSession.Open(Xvfb.Display);
        _instance = GpuInstance.Create(new GpuInstanceOptions
        {
            ApplicationName = "Stage.Windowing.Tests",
            EnableValidation = true,
            Extensions = Glfw.RequiredVulkanExtensions(),
            OptionalExtensions = [GpuInstance.SwapchainColourSpaceExtension],
        });
        _device = _instance.CreateDevice();
        // Without the status overlay unless a test asks: the pixel comparisons cover the whole window.
        Output = new WindowOutput(Glfw, _device, config, options ?? new WindowOutputOptions { NoOverlay = true }, NullLogger.Instance);
        Feeder = new CanvasFeeder(_device);
    }

    /// <summary>Uploads test canvases and shows them through the windows as the renderer would.</summary>
    public CanvasFeeder Feeder { get; }

    /// <summary>A frame of test canvases through the output.</summary>
    public void Show(FrameTick tick, IReadOnlyList<CanvasPixels> canvases) => Feeder.Show(Output, tick, canvases);

    public StageConfig Config { get; }

    public XvfbServer Xvfb { get; }

    public GlfwSession Glfw { get; }

    public WindowOutput Output { get; }

    public GpuDevice Device => _device;

    /// <summary>The stage configuration of tests/…/test-rig.json, with <paramref name="edit"/> applied to its JSON text.</summary>
    public static StageConfig TestRig(Func<string, string>? edit = null)
    {
        string path = RepositoryPaths.Of("stage-configs", "test-rig.json");
        string text = File.ReadAllText(path);
        if (edit is not null) text = edit(text);
        ConfigLoadResult result = Stage.Tracking.StageConfigFile.LoadText(text, path);
        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        return result.Config!;
    }

    /// <summary>
    /// Drives <paramref name="frames"/> live frames of <paramref name="renderer"/> through this rig's windows (begin, submit,
    /// present, collect, as the engine does) and waits until the GPU is idle.
    /// </summary>
    public void DriveLiveFrames(Stage.Render.StageRenderer renderer, Stage.Render.Scene.RenderScene scene, CameraView[] views, int frames)
    {
        for (int frame = 0; frame < frames; frame++)
        {
            Output.BeginFrame(Tick(frame));
            renderer.BeginFrame(scene, frame, [], null);
            renderer.Submit(views);
            renderer.Present();
            renderer.CollectReadbacks();
        }
        _device.WaitIdle();
    }

    /// <summary>A frame tick for frame <paramref name="frame"/>.</summary>
    public static FrameTick Tick(long frame) => new(frame, default(Timecode), 0, 0, 0);

    /// <summary>A canvas of 16 × 16 blocks, each an exact colour from (block column, block row, tag).</summary>
    public static CanvasPixels Blocks(string outputId, int width, int height, byte tag)
    {
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                (byte r, byte g, byte b) = BlockColour(x / 16, y / 16, tag);
                int i = (y * width + x) * 4;
                rgba[i] = r;
                rgba[i + 1] = g;
                rgba[i + 2] = b;
                rgba[i + 3] = 255;
            }
        return new CanvasPixels(outputId, width, height, 8, rgba);
    }

    public static (byte R, byte G, byte B) BlockColour(int column, int row, byte tag) => ((byte)(column * 29 + 7), (byte)(row * 53 + 11), tag);

    /// <summary>A canvas of one sRGB grey level.</summary>
    public static CanvasPixels Grey(string outputId, int width, int height, byte level)
    {
        var rgba = new byte[width * height * 4];
        for (int i = 0; i < rgba.Length; i += 4) (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (level, level, level, 255);
        return new CanvasPixels(outputId, width, height, 8, rgba);
    }

    /// <summary>Every pixel of a canvas as an exact gradient (each pixel different from its neighbours).</summary>
    public static CanvasPixels Gradient(string outputId, int width, int height, byte tag)
    {
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 4;
                rgba[i] = (byte)(x * 2);
                rgba[i + 1] = (byte)(y * 4);
                rgba[i + 2] = (byte)(tag ^ (x * 7 + y * 3));
                rgba[i + 3] = 255;
            }
        return new CanvasPixels(outputId, width, height, 8, rgba);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Feeder.Dispose();
        Output.Dispose();
        _device.Dispose();
        _instance.Dispose();
        Glfw.Dispose();
        Xvfb.Dispose();
        IReadOnlyList<ValidationMessage> messages = _instance.Validation!.Messages;
        Assert.True(messages.Count == 0, "validation messages:\n" + string.Join("\n", messages));
    }
}
