using System.Numerics;
using SharpGLTF.Schema2;

namespace Stage.Hosting.DemoWorld;

/// <summary>
/// The demo world's models, each a <see cref="DemoMeshBuilder"/> made into glTF: the street (asphalt with lane
/// markings, sidewalks and curbs, a cross street), three buildings, a car, a street lamp, a tree with alpha-masked
/// leaves, a bench and a bus shelter with translucent glass. Stage space: metres, +Y up; each model's origin and
/// facing are given with it.
/// </summary>
internal sealed class DemoAssets
{
    /// <summary>The main street's half width to the curb (four 3.5 m lanes), metres.</summary>
    public const float RoadHalfWidthM = 7;

    /// <summary>Where the sidewalks end and the buildings start, metres from the street's centre line.</summary>
    public const float SidewalkOuterM = 12;

    /// <summary>The main street runs along Z from here…</summary>
    public const float StreetNearZ = 40;

    /// <summary>…to here (−Z, into the main wall).</summary>
    public const float StreetFarZ = -120;

    /// <summary>The cross street's near and far kerb lines (it runs along X).</summary>
    public const float CrossNearZ = -33, CrossFarZ = -47;

    /// <summary>Sidewalk width, metres (the main street's: <see cref="SidewalkOuterM"/> − <see cref="RoadHalfWidthM"/>).</summary>
    public const float SidewalkWidthM = SidewalkOuterM - RoadHalfWidthM;

    /// <summary>Sidewalk height above the road, metres.</summary>
    public const float CurbM = 0.15f;

    private readonly DemoTextures _t;
    private readonly DemoMaterial _asphalt, _paving, _curb, _white, _yellow, _paint, _glass, _tyre, _chrome, _head, _tail;
    private readonly DemoMaterial _roof, _brick, _stone, _metal, _lampGlow, _bark, _leaves, _wood, _shelterGlass, _planter;

    /// <summary>Makes the materials over the seeded textures.</summary>
    public DemoAssets(uint seed)
    {
        _t = new DemoTextures(seed);
        _asphalt = new DemoMaterial("asphalt") { BaseColorPng = _t.AsphaltColor, MetallicRoughnessPng = _t.AsphaltMr, NormalPng = _t.AsphaltNormal };
        _paving = new DemoMaterial("paving") { BaseColorPng = _t.PavingColor, MetallicRoughnessPng = _t.PavingMr };
        _curb = new DemoMaterial("curb") { BaseColor = new Vector4(0.35f, 0.34f, 0.32f, 1), Roughness = 0.8f };
        _white = new DemoMaterial("line-white") { BaseColor = new Vector4(0.75f, 0.75f, 0.72f, 1), Roughness = 0.6f };
        _yellow = new DemoMaterial("line-yellow") { BaseColor = new Vector4(0.75f, 0.5f, 0.05f, 1), Roughness = 0.6f };
        _paint = new DemoMaterial("car-paint") { BaseColor = new Vector4(0.9f, 0.9f, 0.9f, 1), Roughness = 0.3f };
        _glass = new DemoMaterial("car-glass") { BaseColor = new Vector4(0.02f, 0.025f, 0.03f, 1), Roughness = 0.05f };
        _tyre = new DemoMaterial("tyre") { BaseColor = new Vector4(0.02f, 0.02f, 0.02f, 1), Roughness = 0.9f };
        _chrome = new DemoMaterial("trim") { BaseColor = new Vector4(0.8f, 0.8f, 0.8f, 1), Metallic = 1, Roughness = 0.25f };
        _head = new DemoMaterial("headlight") { BaseColor = new Vector4(0.9f, 0.9f, 0.9f, 1), Roughness = 0.2f, Emissive = new Vector3(6f, 5.6f, 5f) };
        _tail = new DemoMaterial("taillight") { BaseColor = new Vector4(0.5f, 0.02f, 0.02f, 1), Roughness = 0.3f, Emissive = new Vector3(3f, 0.1f, 0.05f) };
        _roof = new DemoMaterial("roof") { BaseColor = new Vector4(0.08f, 0.08f, 0.085f, 1), Roughness = 0.9f };
        _brick = new DemoMaterial("brick-facade") { BaseColorPng = _t.BrickColor, MetallicRoughnessPng = _t.BrickMr, EmissivePng = _t.BrickEmissive, Emissive = new Vector3(1.2f) };
        _stone = new DemoMaterial("stone-facade") { BaseColorPng = _t.StoneColor, MetallicRoughnessPng = _t.StoneMr, EmissivePng = _t.StoneEmissive, Emissive = new Vector3(1.2f) };
        _metal = new DemoMaterial("painted-metal") { BaseColor = new Vector4(0.05f, 0.06f, 0.055f, 1), Metallic = 1, Roughness = 0.45f };
        _lampGlow = new DemoMaterial("lamp-glow") { BaseColor = new Vector4(1, 0.9f, 0.7f, 1), Roughness = 0.4f, Emissive = new Vector3(8f, 5.5f, 2.8f) };
        _bark = new DemoMaterial("bark") { BaseColor = new Vector4(0.12f, 0.08f, 0.05f, 1), Roughness = 0.95f };
        _leaves = new DemoMaterial("leaves") { BaseColorPng = _t.LeavesColor, Roughness = 0.8f, Mask = true, AlphaCutoff = 0.5f, DoubleSided = true };
        _wood = new DemoMaterial("bench-wood") { BaseColor = new Vector4(0.25f, 0.13f, 0.06f, 1), Roughness = 0.7f };
        _shelterGlass = new DemoMaterial("shelter-glass") { BaseColor = new Vector4(0.55f, 0.65f, 0.7f, 0.25f), Roughness = 0.05f, Blend = true, DoubleSided = true };
        _planter = new DemoMaterial("planter") { BaseColor = new Vector4(0.3f, 0.29f, 0.27f, 1), Roughness = 0.85f };
    }

    /// <summary>
    /// The street: origin at road level on the centre line; the main street along Z (<see cref="StreetNearZ"/> to
    /// <see cref="StreetFarZ"/>), four lanes with a double yellow centre line, dashed lane lines and edge lines; the
    /// cross street along X between <see cref="CrossNearZ"/> and <see cref="CrossFarZ"/> with zebra crossings; raised
    /// sidewalks with curbs out to <see cref="SidewalkOuterM"/>.
    /// </summary>
    public ModelRoot Street()
    {
        var b = new DemoMeshBuilder();
        var asphaltRepeat = new Vector2(4, 4);
        const float crossEndX = 60;
        // Road surfaces, facing +Y: quads with u along +X and v along −Z.
        void Road(float x0, float x1, float zNear, float zFar) =>
            b.Quad(_asphalt, new Vector3(x0, 0, zNear), new Vector3(x1 - x0, 0, 0), new Vector3(0, 0, zFar - zNear), asphaltRepeat, new Vector2(x0 / 4, -zNear / 4));
        Road(-RoadHalfWidthM, RoadHalfWidthM, StreetNearZ, StreetFarZ);
        Road(-crossEndX, -RoadHalfWidthM, CrossNearZ, CrossFarZ);
        Road(RoadHalfWidthM, crossEndX, CrossNearZ, CrossFarZ);

        // Markings 5 mm above the road, so depth keeps them on top.
        const float lift = 0.005f;
        void Line(DemoMaterial m, float x, float width, float zNear, float zFar) =>
            b.Quad(m, new Vector3(x - width / 2, lift, zNear), new Vector3(width, 0, 0), new Vector3(0, 0, zFar - zNear), Vector2.One);
        // The crossings lie on the cross street's sidewalk lines; a stop line 1 m before each; lines stop at them.
        const float crossingM = 3, walkM = SidewalkWidthM;
        float nearStop = CrossNearZ + walkM + 1, farStop = CrossFarZ - walkM - 1;
        foreach ((float zNear, float zFar) in new[] { (StreetNearZ, nearStop), (farStop, StreetFarZ) })
        {
            Line(_yellow, -0.15f, 0.12f, zNear, zFar);
            Line(_yellow, 0.15f, 0.12f, zNear, zFar);
            Line(_white, -RoadHalfWidthM + 0.25f, 0.15f, zNear, zFar);
            Line(_white, RoadHalfWidthM - 0.25f, 0.15f, zNear, zFar);
            // Dashed lane lines: 3 m dashes every 12 m.
            for (float z = zNear; z - 3 > zFar; z -= 12)
            {
                Line(_white, -3.5f, 0.12f, z, z - 3);
                Line(_white, 3.5f, 0.12f, z, z - 3);
            }
        }
        // Stop lines across the approaching lanes (right-hand traffic: northbound, towards −Z, on +X; southbound on −X).
        Line(_white, RoadHalfWidthM / 2, RoadHalfWidthM, nearStop, nearStop - 0.4f);
        Line(_white, -RoadHalfWidthM / 2, RoadHalfWidthM, farStop + 0.4f, farStop);
        // Zebra crossings: 0.5 m bars along the traffic, 0.5 m apart.
        float nearWalk = CrossNearZ + walkM / 2, farWalk = CrossFarZ - walkM / 2;
        for (float x = -RoadHalfWidthM + 0.5f; x < RoadHalfWidthM - 0.4f; x += 1f)
        {
            Line(_white, x + 0.25f, 0.5f, nearWalk + crossingM / 2, nearWalk - crossingM / 2);
            Line(_white, x + 0.25f, 0.5f, farWalk + crossingM / 2, farWalk - crossingM / 2);
        }

        // Sidewalks: paved boxes from the road to the buildings, curb faces in concrete.
        var paving = new Vector2(3, 3);
        void Walk(float x0, float x1, float zNear, float zFar) =>
            b.Box(_paving, new Vector3(x0, 0, zFar), new Vector3(x1, CurbM, zNear), paving);
        foreach (float side in new[] { -1f, 1f })
        {
            float inner = side * RoadHalfWidthM, outer = side * SidewalkOuterM;
            float x0 = MathF.Min(inner, outer), x1 = MathF.Max(inner, outer);
            Walk(x0, x1, StreetNearZ, CrossNearZ);
            Walk(x0, x1, CrossFarZ, StreetFarZ);
            // The cross street's sidewalks, from the corner out.
            float cx0 = side < 0 ? -crossEndX : SidewalkOuterM, cx1 = side < 0 ? -SidewalkOuterM : crossEndX;
            Walk(cx0, cx1, CrossNearZ + SidewalkWidthM, CrossNearZ);
            Walk(cx0, cx1, CrossFarZ, CrossFarZ - SidewalkWidthM);
        }
        return b.Build("street");
    }

    /// <summary>
    /// A building <paramref name="bays"/> bays (3 m each) wide along X, <paramref name="floors"/> floors (3.2 m) tall,
    /// <paramref name="depthM"/> deep along Z; origin at the middle of its footprint on the ground.
    /// </summary>
    public ModelRoot Building(string name, bool brick, int bays, int floors, float depthM)
    {
        var b = new DemoMeshBuilder();
        float w = bays * 3f, h = floors * 3.2f;
        DemoMaterial facade = brick ? _brick : _stone;
        // The facade texture is 4 bays × 4 floors: 12 m × 12.8 m per repeat; its top row lies at the top of the wall.
        var repeat = new Vector2(12, 12.8f);
        var min = new Vector3(-w / 2, 0, -depthM / 2);
        Vector3 x = new(w, 0, 0), y = new(0, h, 0), z = new(0, 0, depthM);
        b.Quad(facade, min + z, x, y, repeat);
        b.Quad(facade, min + x, -x, y, repeat);
        b.Quad(facade, min + x + z, -z, y, repeat);
        b.Quad(facade, min, z, y, repeat);
        b.Quad(_roof, min + y + z, x, -z, Vector2.One);
        // A parapet and a cornice line: a thin box around the roof edge reads as a finished building.
        const float parapet = 0.6f, t = 0.3f;
        b.Box(_roof, new Vector3(-w / 2 - 0.1f, h, -depthM / 2 - 0.1f), new Vector3(w / 2 + 0.1f, h + parapet, -depthM / 2 + t), Vector2.One);
        b.Box(_roof, new Vector3(-w / 2 - 0.1f, h, depthM / 2 - t), new Vector3(w / 2 + 0.1f, h + parapet, depthM / 2 + 0.1f), Vector2.One);
        b.Box(_roof, new Vector3(-w / 2 - 0.1f, h, -depthM / 2 + t), new Vector3(-w / 2 + t, h + parapet, depthM / 2 - t), Vector2.One);
        b.Box(_roof, new Vector3(w / 2 - t, h, -depthM / 2 + t), new Vector3(w / 2 + 0.1f, h + parapet, depthM / 2 - t), Vector2.One);
        // A ground-floor fascia (the shop sign band) on the long sides.
        b.Box(_metal, new Vector3(-w / 2 - 0.15f, 2.9f, -depthM / 2 - 0.15f), new Vector3(w / 2 + 0.15f, 3.3f, depthM / 2 + 0.15f), Vector2.One);
        return b.Build(name);
    }

    /// <summary>A car: 1.8 m × 1.4 m × 4.2 m, origin at the middle of that box (0.7 m above the ground), front towards −Z.</summary>
    public ModelRoot Car()
    {
        var b = new DemoMeshBuilder();
        const float g = -0.7f;  // the ground, in the body's frame
        b.Box(_paint, new Vector3(-0.9f, g + 0.3f, -2.1f), new Vector3(0.9f, g + 0.85f, 2.1f), Vector2.One, bottom: true);
        // The cabin: glass all round, a painted roof.
        b.Box(_glass, new Vector3(-0.8f, g + 0.85f, -0.9f), new Vector3(0.8f, g + 1.3f, 1.3f), Vector2.One);
        b.Box(_paint, new Vector3(-0.82f, g + 1.3f, -0.75f), new Vector3(0.82f, g + 1.4f, 1.2f), Vector2.One);
        // Pillars between the windows.
        foreach (float zp in new[] { -0.88f, 0.2f, 1.25f })
        foreach (float xp in new[] { -0.81f, 0.81f })
            b.BoxAt(_paint, new Vector3(xp, g + 1.075f, zp), new Vector3(0.04f, 0.45f, 0.1f));
        foreach (float xw in new[] { -0.78f, 0.78f })
        foreach (float zw in new[] { -1.35f, 1.35f })
        {
            b.Cylinder(_tyre, new Vector3(xw - 0.13f, g + 0.33f, zw), new Vector3(xw + 0.13f, g + 0.33f, zw), 0.33f, 16);
            float outer = xw < 0 ? xw - 0.135f : xw + 0.135f;
            b.Cylinder(_chrome, new Vector3(outer, g + 0.33f, zw), new Vector3(outer + (xw < 0 ? -0.005f : 0.005f), g + 0.33f, zw), 0.2f, 12);
        }
        foreach (float xl in new[] { -0.6f, 0.6f })
        {
            b.BoxAt(_head, new Vector3(xl, g + 0.72f, -2.11f), new Vector3(0.35f, 0.12f, 0.04f));
            b.BoxAt(_tail, new Vector3(xl, g + 0.75f, 2.11f), new Vector3(0.3f, 0.1f, 0.04f));
        }
        b.BoxAt(_chrome, new Vector3(0, g + 0.4f, -2.12f), new Vector3(1.7f, 0.12f, 0.06f));
        b.BoxAt(_chrome, new Vector3(0, g + 0.4f, 2.12f), new Vector3(1.7f, 0.12f, 0.06f));
        return b.Build("car");
    }

    /// <summary>A street lamp 6 m tall; origin at its foot; the arm reaches 1.6 m along −X (turn it to face the road).</summary>
    public ModelRoot Lamp()
    {
        var b = new DemoMeshBuilder();
        b.Cylinder(_metal, new Vector3(0, 0, 0), new Vector3(0, 0.5f, 0), 0.14f, 12);
        b.Cylinder(_metal, new Vector3(0, 0.5f, 0), new Vector3(0, 6f, 0), 0.07f, 12);
        b.Cylinder(_metal, new Vector3(0, 5.9f, 0), new Vector3(-1.6f, 6.1f, 0), 0.045f, 8);
        b.BoxAt(_metal, new Vector3(-1.65f, 6.1f, 0), new Vector3(0.6f, 0.12f, 0.28f));
        b.BoxAt(_lampGlow, new Vector3(-1.65f, 6.03f, 0), new Vector3(0.5f, 0.03f, 0.2f));
        return b.Build("lamp");
    }

    /// <summary>A street tree about 7 m tall in a planter; the crown is three crossed alpha-masked billboards. Origin at its foot.</summary>
    public ModelRoot Tree()
    {
        var b = new DemoMeshBuilder();
        b.Box(_planter, new Vector3(-0.7f, 0, -0.7f), new Vector3(0.7f, 0.35f, 0.7f), Vector2.One);
        b.Cylinder(_bark, new Vector3(0, 0.35f, 0), new Vector3(0.05f, 3.6f, 0.03f), 0.13f, 10);
        b.Cylinder(_bark, new Vector3(0.05f, 3.4f, 0.03f), new Vector3(0.9f, 4.8f, 0.3f), 0.06f, 6);
        b.Cylinder(_bark, new Vector3(0.05f, 3.2f, 0.03f), new Vector3(-0.7f, 4.6f, -0.4f), 0.06f, 6);
        // Three vertical crossed cards and one level card: 4.6 m, centred 4.9 m up.
        const float size = 4.6f, centre = 4.9f;
        for (int i = 0; i < 3; i++)
        {
            float a = MathF.PI * i / 3;
            var u = new Vector3(MathF.Cos(a), 0, MathF.Sin(a)) * size;
            b.Quad(_leaves, new Vector3(0, centre - size / 2, 0) - u / 2, u, new Vector3(0, size, 0), new Vector2(size, size));
        }
        b.Quad(_leaves, new Vector3(-size / 2, centre + 0.3f, size / 2), new Vector3(size, 0, 0), new Vector3(0, 0, -size), new Vector2(size, size));
        return b.Build("tree");
    }

    /// <summary>A bench 1.8 m long along X facing +Z; origin at the middle of its footprint.</summary>
    public ModelRoot Bench()
    {
        var b = new DemoMeshBuilder();
        for (int i = 0; i < 3; i++) b.BoxAt(_wood, new Vector3(0, 0.45f, -0.15f + i * 0.13f), new Vector3(1.8f, 0.04f, 0.1f));
        for (int i = 0; i < 2; i++) b.BoxAt(_wood, new Vector3(0, 0.65f + i * 0.15f, -0.24f), new Vector3(1.8f, 0.1f, 0.04f));
        foreach (float x in new[] { -0.75f, 0.75f })
        {
            b.BoxAt(_metal, new Vector3(x, 0.22f, 0), new Vector3(0.05f, 0.44f, 0.4f));
            b.BoxAt(_metal, new Vector3(x, 0.6f, -0.26f), new Vector3(0.05f, 0.45f, 0.04f));
        }
        return b.Build("bench");
    }

    /// <summary>A bus shelter 4 m along X, open towards +Z: a roof, a translucent back and side panels (blended glass). Origin at the middle of its footprint.</summary>
    public ModelRoot Shelter()
    {
        var b = new DemoMeshBuilder();
        const float w = 4, d = 1.5f, h = 2.5f;
        foreach (float x in new[] { -w / 2, w / 2 })
        foreach (float z in new[] { -d / 2, d / 2 })
            b.BoxAt(_metal, new Vector3(x, h / 2, z), new Vector3(0.08f, h, 0.08f));
        b.BoxAt(_metal, new Vector3(0, h + 0.06f, 0), new Vector3(w + 0.3f, 0.12f, d + 0.3f));
        b.Quad(_shelterGlass, new Vector3(-w / 2, 0.15f, -d / 2), new Vector3(w, 0, 0), new Vector3(0, h - 0.3f, 0), Vector2.One);
        b.Quad(_shelterGlass, new Vector3(-w / 2, 0.15f, d / 2), new Vector3(0, 0, -d), new Vector3(0, h - 0.3f, 0), Vector2.One);
        b.Quad(_shelterGlass, new Vector3(w / 2, 0.15f, -d / 2), new Vector3(0, 0, d), new Vector3(0, h - 0.3f, 0), Vector2.One);
        b.BoxAt(_wood, new Vector3(0, 0.45f, -d / 2 + 0.25f), new Vector3(w - 0.6f, 0.05f, 0.35f));
        return b.Build("shelter");
    }
}
