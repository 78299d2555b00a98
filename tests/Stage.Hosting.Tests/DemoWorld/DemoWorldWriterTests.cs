using Stage.Hosting.DemoWorld;
using Stage.Render.Imaging;
using Stage.Render.Meshes;
using Stage.Tests.Shared;
using Stage.World;
using Xunit.Abstractions;

namespace Stage.Hosting.Tests.DemoWorld;

/// <summary>The demo street world's generator: same bytes every run, equal to the repository's copy; models load; the scene is a valid world.</summary>
public sealed class DemoWorldWriterTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "stage-demo-world-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static Dictionary<string, byte[]> Read(string directory, IReadOnlyList<string> files) =>
        files.ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllBytes, StringComparer.Ordinal);

    [Fact]
    public void Two_runs_write_the_same_bytes_and_the_repository_holds_exactly_what_the_generator_writes()
    {
        string a = Path.Combine(_root, "a"), b = Path.Combine(_root, "b");
        Dictionary<string, byte[]> first = Read(a, DemoWorldWriter.Write(a)), second = Read(b, DemoWorldWriter.Write(b));
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, byte[] bytes) in first) Assert.True(bytes.AsSpan().SequenceEqual(second[name]), $"{name} differs between two runs");

        // The committed copy (stage-configs/worlds) is the generator's output: regenerate with `stage world make-demo` when it changes.
        string worlds = RepositoryPaths.Of("stage-configs", "worlds");
        foreach ((string name, byte[] bytes) in first)
        {
            string committed = Path.Combine(worlds, name);
            Assert.True(File.Exists(committed), $"{committed} is missing: run tools/stage world make-demo");
            Assert.True(File.ReadAllBytes(committed).AsSpan().SequenceEqual(bytes), $"{committed} is not what the generator writes: run tools/stage world make-demo");
        }
        long total = first.Values.Sum(v => (long)v.Length);
        output.WriteLine($"{first.Count} files, {total / 1024.0:0} KiB");
        Assert.True(total < 5L * 1024 * 1024, $"the demo world is {total} bytes; keep it under 5 MB");
    }

    [Fact]
    public void Every_model_loads_with_its_textures_and_materials()
    {
        IReadOnlyList<string> files = DemoWorldWriter.Write(_root);
        var materials = new Dictionary<string, MeshMaterial>(StringComparer.Ordinal);
        foreach (string file in files.Where(f => f.EndsWith(".glb", StringComparison.Ordinal)))
        {
            GltfModel model = GltfLoader.Load(file);
            MeshData mesh = model.ToSceneMesh();
            Assert.True(mesh.TriangleCount > 0, $"{file} has triangles");
            Assert.Empty(mesh.FindFaults());
            output.WriteLine($"{Path.GetFileName(file)}: {mesh.TriangleCount} triangles, {mesh.Submeshes.Count} materials");
            foreach (MeshSubmesh sub in mesh.Submeshes)
            {
                MeshMaterial material = Assert.IsType<MeshMaterial>(sub.Material);
                materials[material.Name!] = material;
                foreach ((MaterialTexture texture, _) in material.Textures())
                {
                    // Every image decodes, square, 256 or 512 texels.
                    PngImage png = PngCodec.Decode(texture.Image.Encoded.Span);
                    Assert.Equal(png.Width, png.Height);
                    Assert.Contains(png.Width, new[] { 256, 512 });
                }
            }
        }
        // Textured ground, facades with lit windows, masked leaves, blended shelter glass, untextured cars.
        Assert.NotNull(materials["asphalt"].BaseColorTexture);
        Assert.NotNull(materials["asphalt"].NormalTexture);
        Assert.NotNull(materials["brick-facade"].EmissiveTexture);
        Assert.Equal(MaterialAlphaMode.Mask, materials["leaves"].AlphaMode);
        Assert.True(materials["leaves"].DoubleSided);
        Assert.Equal(MaterialAlphaMode.Blend, materials["shelter-glass"].AlphaMode);
        Assert.Null(materials["car-paint"].BaseColorTexture);
    }

    [Fact]
    public void The_scene_is_a_valid_world_with_a_placed_sun_and_cars_that_drive_the_car_model()
    {
        IReadOnlyList<string> files = DemoWorldWriter.Write(_root);
        string scenePath = files[0];
        SceneLoadResult load = SceneLoader.LoadFile(scenePath);
        Assert.True(load.IsValid, string.Join("\n", load.Faults));
        using StageWorld world = load.Scene!.Build();
        // Every mesh a look names exists beside the scene.
        foreach (Entity e in world.Entities)
            if (e.Appearance?.MeshPath is { } mesh) Assert.True(File.Exists(Path.Combine(_root, mesh)), $"{e.Name}: {mesh}");
        // The sun: Los Angeles, 21 June 2026, 18:40 PDT — low in the west-north-west (azimuth ≈ 288°, elevation ≈ 16°).
        SunPosition sun = world.Sun!.Value;
        output.WriteLine($"sun azimuth {sun.AzimuthDeg:0.00}°, elevation {sun.ElevationDeg:0.00}°");
        Assert.InRange(sun.AzimuthDeg, 285, 300);
        Assert.InRange(sun.ElevationDeg, 5, 20);
        // Stage −Z faces west (northDeg 270): the sun's light travels toward +Z, so it shines down the street at the camera.
        Assert.True(sun.DirectionTravel.Z > 0.5, $"light travels {sun.DirectionTravel}");
        var cars = world.Entities.Where(e => e.Tags.Contains("vehicle")).ToList();
        Assert.Equal(6, cars.Count);
        Assert.All(cars, c => Assert.Equal("street/car.glb", c.Appearance!.MeshPath));
        var start = cars.ToDictionary(c => c.Name, c => c.PositionM);
        world.AdvanceToSeconds(2);
        Assert.All(cars, c => Assert.True((c.PositionM - start[c.Name]).Length > 15, $"{c.Name} drives (9–12 m/s)"));
    }
}
