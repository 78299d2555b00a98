using Stage.Render.Imaging;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

public sealed class RenderCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-render-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Render_writes_every_canvas_the_inner_frustum_and_the_wall_map_with_no_validation_messages()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run(["render", RepositoryPaths.Of("stage-configs", "test-rig.json"), "--pose", "0,0.6,0.5,0,0,0", "--out", _folder,
            "--wall-map", "--chroma-key", "--validate", "--log-dir", _folder], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        PngImage front = PngCodec.Read(Path.Combine(_folder, "out-front.png"));
        Assert.Equal((128, 64), (front.Width, front.Height));
        PngImage inner = PngCodec.Read(Path.Combine(_folder, "inner-A.png"));
        Assert.Equal((64, 48), (inner.Width, inner.Height));
        // The camera looks straight at the front wall: its centre is inside the inner frustum, which is keyed green.
        Assert.True(front[32, 16, 1] > 200 && front[32, 16, 0] < 60, $"expected the key colour at the wall centre, got {front[32, 16, 0]},{front[32, 16, 1]},{front[32, 16, 2]}");
        // Outside the wall regions the canvas is black.
        Assert.Equal(0, front[100, 50, 0] + front[100, 50, 1] + front[100, 50, 2]);
        PngImage map = PngCodec.Read(Path.Combine(_folder, "wall-map-out-side.png"));
        Assert.Equal((230, 60, 60), Rgb(PngCodec.Read(Path.Combine(_folder, "wall-map-out-front.png")), 5, 5));
        Assert.Equal((60, 200, 80), Rgb(map, 5, 5));
        Assert.Equal((70, 110, 240), Rgb(map, 101, 5));
        Assert.Equal((0, 0, 0), Rgb(map, 5, 40));
        Assert.Contains("front = red, curve = green, ceiling = blue", output.ToString());
    }

    [Fact]
    public void Bad_poses_and_cameras_are_named()
    {
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["render", RepositoryPaths.Of("stage-configs", "test-rig.json"), "--pose", "1,2,3", "--out", _folder], new StringWriter(), error));
        Assert.Contains("six numbers", error.ToString());
        error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["render", RepositoryPaths.Of("stage-configs", "test-rig.json"), "--camera", "Q", "--pose", "0,0,0,0,0,0", "--out", _folder], new StringWriter(), error));
        Assert.Contains("no camera 'Q'", error.ToString());
    }

    private static (int, int, int) Rgb(PngImage image, int x, int y) => (image[x, y, 0], image[x, y, 1], image[x, y, 2]);
}
