using System.Numerics;
using Stage.Render.Sky;
using Stage.Tests.Shared;

namespace Stage.Render.Tests.Sky;

/// <summary>
/// The example environment in stage-configs/assets is made here: <c>STAGE_UPDATE_ASSETS=1 dotnet test … --filter
/// ExampleEnvironmentAssetTests</c> writes it; otherwise the test checks the committed file is exactly what the generator makes.
/// </summary>
public sealed class ExampleEnvironmentAssetTests
{
    /// <summary>
    /// A procedural "studio yard" panorama, 256 × 128: a blue-to-pale sky gradient (0.3–1.2 nits), a warm soft key light
    /// 35° up at pan 45° (40 nits, ~12° wide), two cool vertical strip lights at pan ±120°, a grey ground (0.08 nits)
    /// with a darker horizon band. In cd/m² at exposure 0 (a scene at the default sun of π lux sees it as bright as its sky).
    /// </summary>
    public static EquirectMap StudioYard()
    {
        var map = new EquirectMap(256, 128);
        float key = MathF.PI / 180;
        Vector3 keyDir = Vector3.Normalize(new Vector3(MathF.Cos(35 * key) * MathF.Sin(45 * key), MathF.Sin(35 * key), -MathF.Cos(35 * key) * MathF.Cos(45 * key)));
        for (int y = 0; y < map.Height; y++)
        for (int x = 0; x < map.Width; x++)
        {
            Vector3 d = map.TexelDirection(x, y);
            Vector3 l;
            if (d.Y >= 0)
            {
                float t = MathF.Pow(1 - d.Y, 3);
                l = Vector3.Lerp(new Vector3(0.18f, 0.3f, 0.6f), new Vector3(1.1f, 1.15f, 1.2f), t);
                float c = Vector3.Dot(d, keyDir);
                if (c > MathF.Cos(6 * key)) l += new Vector3(40f, 34f, 26f);
                else if (c > MathF.Cos(12 * key)) l += new Vector3(4f, 3.4f, 2.6f) * (c - MathF.Cos(12 * key)) / (MathF.Cos(6 * key) - MathF.Cos(12 * key));
                float pan = MathF.Atan2(d.X, -d.Z) / key;
                if (d.Y < 0.6f && (MathF.Abs(pan - 120) < 3 || MathF.Abs(pan + 120) < 3)) l += new Vector3(6f, 7f, 9f);
            }
            else
            {
                float band = MathF.Exp(d.Y * 12);
                l = Vector3.Lerp(new Vector3(0.08f, 0.075f, 0.07f), new Vector3(0.03f), band);
            }
            map[x, y] = l;
        }
        return map;
    }

    [Fact]
    public void The_example_hdr_is_what_its_generator_writes_and_small()
    {
        string path = RepositoryPaths.Of("stage-configs", "assets", "studio-yard.hdr");
        byte[] bytes = RadianceHdr.Encode(StudioYard());
        if (System.Environment.GetEnvironmentVariable("STAGE_UPDATE_ASSETS") == "1") File.WriteAllBytes(path, bytes);
        Assert.True(File.Exists(path), $"{path} is missing: run with STAGE_UPDATE_ASSETS=1");
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.True(bytes.Length < 200 * 1024);
        EquirectMap read = RadianceHdr.Load(path);
        Assert.Equal((256, 128), (read.Width, read.Height));
    }
}
