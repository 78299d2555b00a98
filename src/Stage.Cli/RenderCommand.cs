using System.CommandLine;
using System.Globalization;
using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Hosting.Rendering;
using Stage.Render;
using Stage.Render.Imaging;
using Stage.Render.Scene;
using Stage.Render.Sky;
using Stage.Vulkan;
using Stage.World;
using Stage.Core.Frames;

namespace Stage.Cli;

/// <summary>
/// <c>stage render</c>: one frame, headless, from a camera pose typed on the command line — what the
/// walls would show, and the inner frustum the camera sees, as PNG files.
/// </summary>
public static class RenderCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The stage configuration file." };
        var camera = new Option<string?>("--camera") { Description = "Camera id (default: the first camera)." };
        var pose = new Option<string>("--pose") { Description = "Camera position and angles: x,y,z,pan,tilt,roll (metres, degrees; stage space).", Required = true };
        var focal = new Option<double?>("--focal") { Description = "Focal length in mm (default: the camera's configured lens)." };
        var outDir = new Option<string>("--out") { Description = "Folder for <output-id>.png and inner-<camera>.png.", Required = true };
        var wallMap = new Option<bool>("--wall-map") { Description = "Also write wall-map-<output-id>.png: each canvas pixel coloured by the wall it carries (black: none)." };
        var chromaKey = new Option<bool>("--chroma-key") { Description = "Fill the camera's inner frustum with the key colour." };
        var markers = new Option<bool>("--markers") { Description = "Draw tracking markers over the inner frustum." };
        var validate = new Option<bool>("--validate") { Description = "Run with the Vulkan validation layer; exit 1 if it reports anything." };
        var world = new Option<string?>("--world") { Description = "World scene file to draw (default: the world the stage configuration names; none: an empty world)." };
        var at = new Option<double?>("--at") { Description = "Simulation time to draw the world at, seconds (the world is stepped there from its start; default 0)." };
        var command = new Command("render",
            "Render one frame headless: every output canvas (inner frustum through the camera at --pose, the outer view elsewhere) " +
            "to <out>/<output-id>.png and the camera's inner frustum to <out>/inner-<camera>.png; with --wall-map, per output an image " +
            "showing which wall each pixel belongs to, to check the mapping before the LED processors are plugged in. With --world (or a " +
            "world in the configuration) the world is stepped to --at seconds and drawn; a scene with faults or a mesh that cannot be loaded is refused.")
        { config, camera, pose, focal, outDir, wallMap, chromaKey, markers, validate, world, at };
        command.SetAction(result =>
        {
            ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(result.GetValue(config)!);
            if (!loaded.IsValid)
            {
                error.WriteLine($"stage: {result.GetValue(config)} has {loaded.Faults.Count} faults (run stage validate):");
                foreach (ConfigFault fault in loaded.Faults) error.WriteLine($"  {fault}");
                return ExitCodes.Fault;
            }
            StageConfig stage = loaded.Config!;
            string cameraId = result.GetValue(camera) ?? stage.Cameras[0].Id;
            CameraConfig? cameraConfig = stage.Cameras.FirstOrDefault(c => c.Id == cameraId);
            if (cameraConfig is null) return Fail(error, $"no camera '{cameraId}' (cameras: {string.Join(", ", stage.Cameras.Select(c => c.Id))})");
            if (!TryParsePose(result.GetValue(pose)!, out Pose trackedPose, out string poseError)) return Fail(error, poseError);
            double focalMm = result.GetValue(focal) ?? cameraConfig.FocalLengthMm;
            if (!(focalMm > 0)) return Fail(error, $"--focal {focalMm} must be positive");
            string? scenePath = result.GetValue(world) is string given ? Path.GetFullPath(given) : stage.WorldScenePath;
            double atS = result.GetValue(at) ?? 0;
            if (!double.IsFinite(atS) || atS < 0) return Fail(error, $"--at {atS.ToString(CultureInfo.InvariantCulture)} must be a time of 0 seconds or more");
            if (result.GetValue(at) is not null && scenePath is null) return Fail(error, "--at needs a world: give --world <scene> (the configuration names none)");
            using StageWorld? simulated = scenePath is null ? null : LoadWorld(scenePath, atS, error);
            if (scenePath is not null && simulated is null) return ExitCodes.Fault;
            var scene = new RenderScene { ExposureEv = (float)stage.Render.ExposureEv };
            if (scenePath is not null)
            {
                try
                {
                    scene.Environment = SceneEnvironmentLoader.LoadFromScene(scenePath);
                }
                catch (EnvironmentImageException e)
                {
                    return Fail(error, $"{scenePath}: environment.image: {e.Message}");
                }
                if (scene.Environment is { } environment) output.WriteLine($"environment: {environment.Describe()}");
            }
            if (simulated is not null)
            {
                var bridge = new WorldSceneBridge(() => simulated, Path.GetDirectoryName(scenePath!)!);
                bridge.Fill(scene);
                if (bridge.MeshFaults.Count > 0)
                {
                    error.WriteLine($"stage: {scenePath} cannot be drawn ({bridge.MeshFaults.Count} {(bridge.MeshFaults.Count == 1 ? "fault" : "faults")}):");
                    foreach (string fault in bridge.MeshFaults) error.WriteLine($"  {fault}");
                    return ExitCodes.Fault;
                }
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"world {scenePath}: step {simulated.StepCount} ({simulated.TimeS:0.###} s at {simulated.Settings.StepHz} Hz), {bridge.DrawnEntityCount} of {simulated.Entities.Count} entities drawn"));
            }
            string folder = Path.GetFullPath(result.GetValue(outDir)!);
            Directory.CreateDirectory(folder);
            var written = new List<string>();
            if (result.GetValue(wallMap))
            {
                foreach (OutputCanvas canvas in stage.Outputs)
                    written.Add(Write(folder, $"wall-map-{canvas.Id}.png", WallMap(stage, canvas)));
                output.WriteLine("wall map colours: " + string.Join(", ", stage.Walls.Select((w, i) => $"{w.Id} = {ColourName(i)}")));
            }
            try
            {
                using GpuInstance instance = GpuInstance.Create(new GpuInstanceOptions { ApplicationName = "stage render", EnableValidation = result.GetValue(validate) });
                IReadOnlyList<CanvasPixels> canvases;
                CanvasPixels? inner;
                IReadOnlyList<PassTiming> timings;
                using (GpuDevice device = instance.CreateDevice())
                using (var renderer = new StageRenderer(device, stage))
                {
                    canvases = renderer.Render([new CameraView(cameraConfig, trackedPose, focalMm, result.GetValue(chromaKey), result.GetValue(markers))], scene);
                    foreach (CanvasPixels canvas in canvases) written.Add(Write(folder, $"{canvas.OutputId}.png", ToPng(canvas)));
                    inner = renderer.ReadInner(cameraId);
                    if (inner is { } drawn) written.Add(Write(folder, $"inner-{cameraId}.png", ToPng(drawn)));
                    timings = renderer.LastTimings.ToList();
                    if (scene.Environment is not null)
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"environment bake: {renderer.Scene.EnvironmentBakeMs:0.0} ms (CPU: SH + GGX prefilter of {Stage.Render.Sky.EnvironmentBake.Levels} levels)"));
                }
                foreach (string file in written) output.WriteLine(file);
                output.WriteLine("passes: " + string.Join(", ", timings.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Pass} {t.Milliseconds:0.0} ms"))));
                if (instance.Validation is { } log && log.Messages.Count > 0)
                {
                    foreach (ValidationMessage message in log.Messages) error.WriteLine($"validation: {message}");
                    return ExitCodes.Fault;
                }
            }
            catch (Exception e) when (e is GpuUnavailableException or VulkanException)
            {
                return Fail(error, e.Message);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Loads the scene and steps its world to <paramref name="atS"/> seconds of simulation time; null
    /// (every fault written to <paramref name="error"/> with its place) when the scene is invalid.
    /// </summary>
    private static StageWorld? LoadWorld(string scenePath, double atS, TextWriter error)
    {
        if (!File.Exists(scenePath))
        {
            error.WriteLine($"stage: world scene {scenePath} does not exist");
            return null;
        }
        SceneLoadResult loaded = SceneLoader.LoadFile(scenePath);
        if (!loaded.IsValid)
        {
            error.WriteLine($"stage: {scenePath} has {loaded.Faults.Count} {(loaded.Faults.Count == 1 ? "fault" : "faults")}:");
            foreach (ConfigFault fault in loaded.Faults) error.WriteLine($"  {fault}");
            return null;
        }
        StageWorld? built = null;
        try
        {
            built = loaded.Scene!.Build();
            built.AdvanceToSeconds(atS);
            return built;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Stage.Physics.PhysicsException)
        {
            built?.Dispose();
            error.WriteLine($"stage: {scenePath}: the world cannot be built or stepped: {e.Message}");
            return null;
        }
    }

    /// <summary>Parses "x,y,z,pan,tilt,roll".</summary>
    public static bool TryParsePose(string text, out Pose pose, out string error)
    {
        pose = Pose.Identity;
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[6];
        if (parts.Length != 6 || parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && double.IsFinite(values[i])).Any(ok => !ok))
        {
            error = $"--pose '{text}' must be six numbers: x,y,z,pan,tilt,roll (metres and degrees)";
            return false;
        }
        pose = Pose.FromPanTiltRoll(new Vector3((float)values[0], (float)values[1], (float)values[2]), new PanTiltRoll(values[3], values[4], values[5]));
        error = "";
        return true;
    }

    /// <summary>An image of a canvas with each pixel coloured by the wall it carries.</summary>
    public static PngImage WallMap(StageConfig stage, OutputCanvas canvas)
    {
        var samples = new ushort[canvas.PixelWidth * canvas.PixelHeight * 3];
        foreach (OutputRegion region in canvas.Regions)
        {
            int wall = stage.Walls.ToList().FindIndex(w => w.Id == region.WallId);
            (byte r, byte g, byte b) = Colour(wall);
            PixelRect rect = region.CanvasRect;
            for (int y = rect.Y; y < rect.Bottom; y++)
                for (int x = rect.X; x < rect.Right; x++)
                {
                    // Panel seams drawn darker, so a mis-mapped panel shows at a glance.
                    int wallX = region.WallRect.X + x - rect.X, wallY = region.WallRect.Y + y - rect.Y;
                    Wall w = stage.Walls[wall];
                    bool seam = wallX % w.Panel.PixelsX == 0 || wallY % w.Panel.PixelsY == 0;
                    int i = (y * canvas.PixelWidth + x) * 3;
                    samples[i] = (ushort)(seam ? r / 2 : r);
                    samples[i + 1] = (ushort)(seam ? g / 2 : g);
                    samples[i + 2] = (ushort)(seam ? b / 2 : b);
                }
        }
        return new PngImage(canvas.PixelWidth, canvas.PixelHeight, 3, 8, samples);
    }

    private static readonly (string Name, byte R, byte G, byte B)[] Palette =
        [("red", 230, 60, 60), ("green", 60, 200, 80), ("blue", 70, 110, 240), ("yellow", 240, 220, 60), ("magenta", 220, 70, 220), ("cyan", 60, 210, 220), ("orange", 245, 150, 40), ("white", 235, 235, 235)];

    private static (byte R, byte G, byte B) Colour(int wall) => (Palette[wall % Palette.Length].R, Palette[wall % Palette.Length].G, Palette[wall % Palette.Length].B);

    private static string ColourName(int wall) => Palette[wall % Palette.Length].Name + (wall >= Palette.Length ? $" #{wall / Palette.Length + 1}" : "");

    private static PngImage ToPng(CanvasPixels canvas)
    {
        if (canvas.BitDepth == 8) return PngImage.FromRgba8(canvas.Width, canvas.Height, canvas.Rgba.Span);
        var samples = new ushort[canvas.Rgba.Length / 2];
        for (int i = 0; i < samples.Length; i++) samples[i] = BitConverter.ToUInt16(canvas.Rgba.Span[(i * 2)..]);
        return new PngImage(canvas.Width, canvas.Height, 4, 16, samples);
    }

    private static string Write(string folder, string name, PngImage image)
    {
        string path = Path.Combine(folder, name);
        PngCodec.Write(path, image);
        return path;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"stage: {message}");
        return ExitCodes.Fault;
    }
}
