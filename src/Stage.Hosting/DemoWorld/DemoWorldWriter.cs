using System.Numerics;
using System.Text;
using System.Text.Json;
using SharpGLTF.Schema2;

namespace Stage.Hosting.DemoWorld;

/// <summary>
/// Writes the demo world: <c>street.json</c> (a world scene) and its models in <c>street/</c> (binary glTF with
/// embedded PNG textures), everything from one seed, so the same bytes every run. The street runs along stage −Z,
/// which faces west; the sun stands where it does in Los Angeles on 21 June 2026 at 18:40 (PDT): low in the west
/// north-west, down the street, behind the buildings' shadows. Cars loop the four lanes (kinematic box bodies drawn
/// with the car model); buildings, lamps, trees, benches and a bus shelter are set dressing (no bodies).
/// </summary>
public static class DemoWorldWriter
{
    /// <summary>The seed of every texture and placement.</summary>
    public const uint Seed = 16;

    /// <summary>The scene file's name.</summary>
    public const string SceneFileName = "street.json";

    /// <summary>The models' folder, beside the scene file.</summary>
    public const string AssetFolder = "street";

    /// <summary>
    /// Writes <c>street.json</c> and <c>street/*.glb</c> into <paramref name="directory"/> (made if missing; files there
    /// replaced). Returns the files written, scene first.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string assets = Path.Combine(directory, AssetFolder);
        Directory.CreateDirectory(assets);
        var assetsOf = new DemoAssets(Seed);
        var written = new List<string>();
        string scene = Path.Combine(directory, SceneFileName);
        File.WriteAllText(scene, SceneJson(), new UTF8Encoding(false));
        written.Add(scene);
        foreach ((string name, Func<ModelRoot> make) in Models(assetsOf))
        {
            string path = Path.Combine(assets, name + ".glb");
            make().SaveGLB(path);
            written.Add(path);
        }
        return written;
    }

    private static readonly (string Name, bool Brick, int Bays, int Floors, float DepthM)[] Buildings =
    [
        ("building-brick-5", true, 4, 5, 14),
        ("building-stone-7", false, 6, 7, 16),
        ("building-brick-4", true, 3, 4, 12),
        ("building-stone-9", false, 4, 9, 14),
    ];

    private static IEnumerable<(string Name, Func<ModelRoot> Make)> Models(DemoAssets a)
    {
        yield return ("street", a.Street);
        foreach (var b in Buildings) yield return (b.Name, () => a.Building(b.Name, b.Brick, b.Bays, b.Floors, b.DepthM));
        yield return ("car", a.Car);
        yield return ("lamp", a.Lamp);
        yield return ("tree", a.Tree);
        yield return ("bench", a.Bench);
        yield return ("shelter", a.Shelter);
    }

    /// <summary>The scene JSON (indented, invariant numbers).</summary>
    public static string SceneJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", "street");
            w.WriteNumber("stepHz", 120);
            w.WriteNumber("seed", Seed);
            w.WriteStartObject("sun");
            w.WriteNumber("latitudeDeg", 34.0522);
            w.WriteNumber("longitudeDeg", -118.2437);
            w.WriteNumber("northDeg", 270);
            w.WriteString("date", "2026-06-21");
            w.WriteString("localTime", "18:40");
            w.WriteNumber("utcOffsetH", -7);
            w.WriteEndObject();
            // Lit and backed by the physical sky of that sun: a clear evening over asphalt.
            w.WriteStartObject("environment");
            w.WriteNumber("turbidity", 2.5);
            w.WriteNumber("groundAlbedo", 0.15);
            w.WriteEndObject();
            w.WriteStartObject("materials");
            w.WriteStartObject("ground");
            w.WriteNumber("friction", 0.8);
            w.WriteNumber("restitution", 0.1);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("entities");
            Entities(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Entities(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("name", "ground");
        Tags(w, "set");
        w.WriteStartObject("shape");
        w.WriteString("kind", "plane");
        Vec(w, "normal", Vector3.UnitY);
        w.WriteNumber("offsetM", 0);
        w.WriteEndObject();
        w.WriteString("material", "ground");
        // Collision only: the street mesh is the visible ground. Drawn (a grey plane at y = 0, the road's height) it
        // z-fought with the asphalt: the bluish stepped patches along the kerbs.
        w.WriteString("appearance", "none");
        w.WriteEndObject();

        Dressing(w, "street", "street", Vector3.Zero, 0);

        // Buildings: each side's two blocks filled outward from the cross street's corners (so the corners are built
        // and any gap left falls at the far ends), frontage along Z; the widest that fits where the seeded choice does not.
        var blocks = new (float From, float To)[]
        {
            (DemoAssets.CrossNearZ + DemoAssets.SidewalkWidthM, DemoAssets.StreetNearZ),
            (DemoAssets.CrossFarZ - DemoAssets.SidewalkWidthM, DemoAssets.StreetFarZ),
        };
        var count = 0;
        foreach (float side in new[] { -1f, 1f })
        foreach ((float from, float to) in blocks)
        {
            float step = MathF.Sign(to - from);
            float z = from;
            for (int k = 0; ; k++)
            {
                var b = Buildings[(int)(DemoNoise.Hash(k, side > 0 ? 1 : 0, Seed + (uint)(from < -40 ? 7 : 3)) * Buildings.Length)];
                float left = MathF.Abs(to - z);
                if (b.Bays * 3f > left)
                {
                    var fits = Buildings.Where(c => c.Bays * 3f <= left).OrderByDescending(c => c.Bays).ThenBy(c => c.Name, StringComparer.Ordinal).ToArray();
                    if (fits.Length == 0) break;
                    b = fits[0];
                }
                float width = b.Bays * 3f;
                float x = side * (DemoAssets.SidewalkOuterM + b.DepthM / 2);
                Dressing(w, $"building-{count++}", b.Name, new Vector3(x, 0, z + step * width / 2), 90);
                z += step * width;
            }
        }

        // Lamps near the curb every 24 m, arms over the road; trees between them; away from the junction.
        var lamp = 0;
        var tree = 0;
        foreach (float side in new[] { -1f, 1f })
        {
            for (float z = DemoAssets.StreetNearZ - 6; z > DemoAssets.StreetFarZ + 6; z -= 24)
            {
                if (NearJunction(z)) continue;
                Dressing(w, $"lamp-{lamp++}", "lamp", new Vector3(side * (DemoAssets.RoadHalfWidthM + 0.5f), DemoAssets.CurbM, z), side > 0 ? 0 : 180);
                float zt = z - 12;
                if (!NearJunction(zt) && zt > DemoAssets.StreetFarZ + 4)
                    Dressing(w, $"tree-{tree++}", "tree", new Vector3(side * (DemoAssets.RoadHalfWidthM + 2.6f), DemoAssets.CurbM, zt), 37 * tree);
            }
        }
        Dressing(w, "bench-0", "bench", new Vector3(11.3f, DemoAssets.CurbM, -8), -90);
        Dressing(w, "bench-1", "bench", new Vector3(-11.3f, DemoAssets.CurbM, -20), 90);
        Dressing(w, "bench-2", "bench", new Vector3(-11.3f, DemoAssets.CurbM, 4), 90);
        Dressing(w, "shelter", "shelter", new Vector3(10.6f, DemoAssets.CurbM, -16), -90);

        // Traffic: two loops, each up one northbound lane (+X, towards −Z) and down the matching southbound lane,
        // turning beyond the ends of the street; three cars per loop at one speed, so they never meet.
        (float North, float South, float TurnNear, float TurnFar, float SpeedMps, float[] Starts)[] loops =
        [
            (1.75f, -1.75f, 48, -128, 12, [-14, 30, -80]),
            (5.25f, -5.25f, 54, -134, 9, [14, -40, -100]),
        ];
        Vector3[] colours =
        [
            new(0.6f, 0.03f, 0.02f), new(0.75f, 0.75f, 0.78f), new(0.02f, 0.06f, 0.25f),
            new(0.03f, 0.03f, 0.035f), new(0.85f, 0.82f, 0.75f), new(0.05f, 0.2f, 0.1f),
        ];
        var car = 0;
        foreach (var loop in loops)
        {
            for (int i = 0; i < loop.Starts.Length; i++)
            {
                // Odd cars start southbound on the loop's other lane.
                bool south = i % 2 == 1;
                float z = loop.Starts[i];
                const float y = 0.7f;
                Vector3[] path = south
                    ? [new(loop.South, y, z), new(loop.South, y, loop.TurnNear), new(loop.North, y, loop.TurnNear), new(loop.North, y, loop.TurnFar), new(loop.South, y, loop.TurnFar)]
                    : [new(loop.North, y, z), new(loop.North, y, loop.TurnFar), new(loop.South, y, loop.TurnFar), new(loop.South, y, loop.TurnNear), new(loop.North, y, loop.TurnNear)];
                Car(w, $"car-{car}", colours[car % colours.Length], path, loop.SpeedMps);
                car++;
            }
        }
    }

    private static bool NearJunction(float z) => z < DemoAssets.CrossNearZ + DemoAssets.SidewalkWidthM + 3 && z > DemoAssets.CrossFarZ - DemoAssets.SidewalkWidthM - 3;

    private static void Car(Utf8JsonWriter w, string name, Vector3 colour, Vector3[] path, float speedMps)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        Tags(w, "vehicle");
        w.WriteStartObject("shape");
        w.WriteString("kind", "box");
        Vec(w, "sizeM", new Vector3(1.8f, 1.4f, 4.2f));
        w.WriteEndObject();
        w.WriteNumber("massKg", 1200);
        Vec(w, "positionM", path[0]);
        w.WriteStartObject("behaviour");
        w.WriteString("kind", "loop");
        w.WriteStartArray("waypointsM");
        foreach (Vector3 p in path) Vec(w, null, p);
        w.WriteEndArray();
        w.WriteNumber("speedMps", speedMps);
        w.WriteEndObject();
        w.WriteStartObject("appearance");
        w.WriteString("primitive", "mesh");
        w.WriteString("mesh", $"{AssetFolder}/car.glb");
        Vec(w, "colorLinear", colour);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A bodiless entity drawn with model <paramref name="model"/> at a place, turned <paramref name="yawDeg"/> about +Y.</summary>
    private static void Dressing(Utf8JsonWriter w, string name, string model, Vector3 positionM, float yawDeg)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        Tags(w, "set");
        Vec(w, "positionM", positionM);
        float yaw = ((yawDeg % 360) + 540) % 360 - 180;
        if (yaw != 0) Vec(w, "rotationDeg", new Vector3(0, yaw, 0));
        w.WriteStartObject("appearance");
        w.WriteString("primitive", "mesh");
        w.WriteString("mesh", $"{AssetFolder}/{model}.glb");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Tags(Utf8JsonWriter w, string tag)
    {
        w.WriteStartArray("tags");
        w.WriteStringValue(tag);
        w.WriteEndArray();
    }

    private static void Vec(Utf8JsonWriter w, string? name, Vector3 v)
    {
        if (name is null) w.WriteStartArray();
        else w.WriteStartArray(name);
        // Rounded to the millimetre so the text is short and the same on every machine.
        w.WriteNumberValue(Math.Round((double)v.X, 3));
        w.WriteNumberValue(Math.Round((double)v.Y, 3));
        w.WriteNumberValue(Math.Round((double)v.Z, 3));
        w.WriteEndArray();
    }
}
