using System.Numerics;

namespace Stage.Hosting.DemoWorld;

/// <summary>
/// The demo world's procedural textures (256² or 512², seeded value noise): asphalt, paving, two facades with
/// windows (some lit: the emissive map), and alpha-masked leaves. Colours are painted in linear light and stored
/// sRGB; data maps (normal, metallic-roughness) are linear.
/// </summary>
internal sealed class DemoTextures
{
    /// <summary>Paints every texture from <paramref name="seed"/>.</summary>
    public DemoTextures(uint seed)
    {
        const int n = 256;
        // Asphalt (the texture covers 4 m): dark binder with light stones, patched repairs and tyre-worn bands of
        // lighter, smoother surface, a little oil; rough, with a bumpy normal.
        float Asphalt(int x, int y) => DemoNoise.Fractal(x, y, n, 8, 4, seed + 1);
        float Stones(int x, int y) => DemoNoise.Hash(x, y, seed + 2);
        float Patch(int x, int y) => DemoNoise.Fractal(x, y, n, 4, 3, seed + 3);
        AsphaltColor = new DemoImage(n).Fill((x, y) =>
        {
            float stone = Stones(x, y);
            float g = 0.035f + 0.05f * Asphalt(x, y) + (stone > 0.9f ? 0.09f * (stone - 0.9f) * 10 : 0);
            // Fresh tar repairs a little darker, worn stretches a little bleached, blended over a few texels.
            float patch = Patch(x, y);
            g *= 1 - 0.25f * Math.Clamp((patch - 0.66f) * 12, 0, 1) + 0.15f * Math.Clamp((0.3f - patch) * 12, 0, 1);
            return DemoImage.Srgb(new Vector3(g, g, g * 1.04f));
        }).Encode();
        AsphaltMr = new DemoImage(n).Fill((x, y) =>
            new Vector4(0, (Patch(x, y) > 0.66f ? 0.65f : 0.8f) + 0.15f * Asphalt(x, y), 0, 1)).Encode();
        AsphaltNormal = DemoImage.NormalsFrom(n, (x, y) => 0.0015f * (Stones(x, y) > 0.9f ? 1 : 0) + 0.003f * Asphalt(x, y), 4f / n).Encode();

        // Paving: 1.5 m concrete slabs (the texture covers 3 m: 2 × 2 slabs) with dark joints.
        PavingColor = new DemoImage(n).Fill((x, y) =>
        {
            int slab = (x / (n / 2)) + 2 * (y / (n / 2));
            float joint = (x % (n / 2) < 2 || y % (n / 2) < 2) ? 0.45f : 1f;
            float g = (0.30f + 0.06f * DemoNoise.Fractal(x, y, n, 16, 3, seed + 4) + 0.03f * DemoNoise.Hash(slab, 0, seed + 5)) * joint;
            return DemoImage.Srgb(new Vector3(g, g * 0.97f, g * 0.92f));
        }).Encode();
        PavingMr = new DemoImage(n).Fill((x, y) => new Vector4(0, 0.7f + 0.2f * DemoNoise.Fractal(x, y, n, 8, 2, seed + 6), 0, 1)).Encode();

        // Facades: one texture is 4 bays × 4 floors (12 m × 12.8 m); 512² keeps ~2.3 cm texels.
        (BrickColor, BrickMr, BrickEmissive) = Facade(seed + 10, new Vector3(0.28f, 0.11f, 0.06f), brick: true, litFraction: 0.35f);
        (StoneColor, StoneMr, StoneEmissive) = Facade(seed + 20, new Vector3(0.42f, 0.38f, 0.31f), brick: false, litFraction: 0.25f);

        // Leaves: clusters of small ellipses on transparent, green to yellow-green (alpha mask).
        var leaves = new DemoImage(n);
        var cover = new float[n * n];
        var tone = new float[n * n];
        for (int i = 0; i < 900; i++)
        {
            float cx = DemoNoise.Hash(i, 1, seed + 30) * n, cy = DemoNoise.Hash(i, 2, seed + 30) * n;
            // Denser towards the middle: the billboard's edge shows sky through the crown.
            float r = MathF.Sqrt((cx - n / 2f) * (cx - n / 2f) + (cy - n / 2f) * (cy - n / 2f)) / (n / 2f);
            if (r > 0.95f || DemoNoise.Hash(i, 3, seed + 30) < r * r) continue;
            float angle = DemoNoise.Hash(i, 4, seed + 30) * MathF.PI;
            float a = 5 + 4 * DemoNoise.Hash(i, 5, seed + 30), b = a * 0.45f;
            float t = DemoNoise.Hash(i, 6, seed + 30);
            for (int y = (int)(cy - a - 1); y <= cy + a + 1; y++)
            for (int x = (int)(cx - a - 1); x <= cx + a + 1; x++)
            {
                if (x < 0 || y < 0 || x >= n || y >= n) continue;
                float dx = x - cx, dy = y - cy;
                float u = dx * MathF.Cos(angle) + dy * MathF.Sin(angle), v = -dx * MathF.Sin(angle) + dy * MathF.Cos(angle);
                if (u * u / (a * a) + v * v / (b * b) > 1) continue;
                cover[y * n + x] = 1;
                tone[y * n + x] = t;
            }
        }
        LeavesColor = leaves.Fill((x, y) =>
        {
            float t = tone[y * n + x];
            var green = Vector3.Lerp(new Vector3(0.04f, 0.12f, 0.02f), new Vector3(0.16f, 0.22f, 0.03f), t);
            return DemoImage.Srgb(green, cover[y * n + x]);
        }).Encode();
    }

    /// <summary>Asphalt base colour (sRGB).</summary>
    public byte[] AsphaltColor { get; }

    /// <summary>Asphalt metallic-roughness.</summary>
    public byte[] AsphaltMr { get; }

    /// <summary>Asphalt normal map.</summary>
    public byte[] AsphaltNormal { get; }

    /// <summary>Paving slabs base colour.</summary>
    public byte[] PavingColor { get; }

    /// <summary>Paving metallic-roughness.</summary>
    public byte[] PavingMr { get; }

    /// <summary>Brick facade base colour.</summary>
    public byte[] BrickColor { get; }

    /// <summary>Brick facade metallic-roughness (glass smooth).</summary>
    public byte[] BrickMr { get; }

    /// <summary>Brick facade's lit windows.</summary>
    public byte[] BrickEmissive { get; }

    /// <summary>Stone facade base colour.</summary>
    public byte[] StoneColor { get; }

    /// <summary>Stone facade metallic-roughness.</summary>
    public byte[] StoneMr { get; }

    /// <summary>Stone facade's lit windows.</summary>
    public byte[] StoneEmissive { get; }

    /// <summary>Leaves: colour and alpha (the mask).</summary>
    public byte[] LeavesColor { get; }

    /// <summary>A facade of 4 × 4 windows: wall (brick courses or stone blocks), frames, glass; some windows lit.</summary>
    private static (byte[] Color, byte[] Mr, byte[] Emissive) Facade(uint seed, Vector3 wall, bool brick, float litFraction)
    {
        const int n = 512;
        const int bay = n / 4, floor = n / 4;
        var color = new DemoImage(n);
        var mr = new DemoImage(n);
        var emissive = new DemoImage(n);
        for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++)
        {
            int bx = x / bay, fy = y / floor;
            int lx = x % bay, ly = y % floor;
            // A window 60 % of the bay wide, 55 % of the floor tall, sill a third up; a frame 3 px around it.
            int wx0 = bay / 5, wx1 = bay - bay / 5, wy0 = floor / 5, wy1 = floor / 5 + floor * 55 / 100;
            bool frame = lx >= wx0 - 3 && lx < wx1 + 3 && ly >= wy0 - 3 && ly < wy1 + 3;
            bool glass = lx >= wx0 && lx < wx1 && ly >= wy0 && ly < wy1;
            bool mullion = glass && Math.Abs(lx - bay / 2) < 2;
            bool sill = !frame && ly >= wy1 + 3 && ly < wy1 + 8 && lx >= wx0 - 6 && lx < wx1 + 6;
            float noise = DemoNoise.Fractal(x, y, n, 32, 3, seed);
            Vector3 c;
            float rough, metal = 0;
            if (glass && !mullion)
            {
                // Glass: dark, smooth; the room behind shows in the emissive map when lit.
                float sky = 0.5f + 0.5f * (1 - ly / (float)floor);
                c = new Vector3(0.02f, 0.025f, 0.03f) * (0.6f + 0.6f * sky);
                rough = 0.08f;
            }
            else if (frame || mullion)
            {
                c = brick ? new Vector3(0.6f, 0.6f, 0.58f) : new Vector3(0.05f, 0.05f, 0.055f);
                rough = 0.5f;
                metal = brick ? 0 : 0.8f;
            }
            else if (sill) { c = new Vector3(0.5f, 0.48f, 0.44f); rough = 0.7f; }
            else if (brick)
            {
                // Courses 8 px (~20 cm with mortar), bricks 20 px, every other course offset by half a brick.
                int course = y / 8;
                int bxk = (x + (course % 2) * 10) / 20;
                bool mortar = y % 8 < 2 || (x + (course % 2) * 10) % 20 < 2;
                float tint = 0.75f + 0.5f * DemoNoise.Hash(bxk, course, seed + 1);
                c = mortar ? new Vector3(0.35f, 0.33f, 0.3f) : wall * tint * (0.85f + 0.3f * noise);
                rough = mortar ? 0.95f : 0.85f;
            }
            else
            {
                // Stone: big blocks (a third of a floor tall) with faint joints.
                bool joint = y % (floor / 3) < 2 || (x + (y / (floor / 3) % 2) * 20) % 64 < 2;
                c = wall * (0.85f + 0.3f * noise) * (joint ? 0.7f : 1);
                rough = 0.8f;
            }
            // Each window is lit or not, warm or cool, seeded by its place on the facade.
            bool lit = glass && !mullion && DemoNoise.Hash(bx, fy, seed + 2) < litFraction;
            Vector3 light = lit
                ? Vector3.Lerp(new Vector3(1f, 0.62f, 0.3f), new Vector3(0.85f, 0.85f, 0.8f), DemoNoise.Hash(bx, fy, seed + 3) < 0.8f ? 0 : 1)
                    * (0.7f + 0.3f * (ly - wy0) / (float)(wy1 - wy0))
                : Vector3.Zero;
            color.Set(x, y, DemoImage.Srgb(c));
            mr.Set(x, y, new Vector4(0, rough, metal, 1));
            emissive.Set(x, y, DemoImage.Srgb(light));
        }
        return (color.Encode(), mr.Encode(), emissive.Encode());
    }
}
