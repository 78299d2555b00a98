using System.Numerics;

namespace Stage.Render.Meshes;

/// <summary>
/// Primitive shapes as <see cref="MeshData"/>, sizes in metres, centred on the origin (the terrain on its
/// grid's centre), +Y up, triangles counter-clockwise seen from outside, base colour white.
/// Curved surfaces share vertices (smooth normals, no seam: there are no texture coordinates to
/// split for); flat faces have vertices of their own (flat normals). Where a flat face meets a curved one
/// (a cylinder's rim) the two vertices have bit-identical positions, so the surface is closed.
/// </summary>
public static class MeshPrimitives
{
    /// <summary>A box from −<paramref name="halfExtentsM"/> to +<paramref name="halfExtentsM"/>: 6 faces × 4 vertices, flat normals.</summary>
    public static MeshData Box(Vector3 halfExtentsM)
    {
        RequirePositive(halfExtentsM.X, nameof(halfExtentsM));
        RequirePositive(halfExtentsM.Y, nameof(halfExtentsM));
        RequirePositive(halfExtentsM.Z, nameof(halfExtentsM));
        // (normal, u, w) with u × w = normal, so corners −u−w, +u−w, +u+w, −u+w run counter-clockwise from outside.
        (Vector3 N, Vector3 U, Vector3 W)[] faces =
        [
            (Vector3.UnitX, Vector3.UnitY, Vector3.UnitZ),
            (-Vector3.UnitX, Vector3.UnitZ, Vector3.UnitY),
            (Vector3.UnitY, Vector3.UnitZ, Vector3.UnitX),
            (-Vector3.UnitY, Vector3.UnitX, Vector3.UnitZ),
            (Vector3.UnitZ, Vector3.UnitX, Vector3.UnitY),
            (-Vector3.UnitZ, Vector3.UnitY, Vector3.UnitX),
        ];
        var positions = new Vector3[24];
        var normals = new Vector3[24];
        var indices = new uint[36];
        for (int f = 0; f < 6; f++)
        {
            (Vector3 n, Vector3 u, Vector3 w) = faces[f];
            Vector3[] corners = [n - u - w, n + u - w, n + u + w, n - u + w];
            for (int k = 0; k < 4; k++)
            {
                positions[f * 4 + k] = corners[k] * halfExtentsM;
                normals[f * 4 + k] = n;
            }
            uint b = (uint)(f * 4);
            uint[] quad = [b, b + 1, b + 2, b, b + 2, b + 3];
            quad.CopyTo(indices, f * 6);
        }
        return new MeshData(positions, normals, indices);
    }

    /// <summary>
    /// A UV sphere of <paramref name="radiusM"/>: <paramref name="segments"/> around the Y axis and
    /// max(2, segments / 2) rings from pole to pole, one vertex at each pole, smooth normals.
    /// </summary>
    public static MeshData Sphere(float radiusM, int segments = 32)
    {
        RequirePositive(radiusM, nameof(radiusM));
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 3);
        int bands = Math.Max(2, segments / 2);
        var rings = new List<Ring>();
        for (int k = 1; k < bands; k++)
        {
            double theta = Math.PI * k / bands;
            rings.Add(new Ring((float)(radiusM * Math.Sin(theta)), (float)(radiusM * Math.Cos(theta)), (float)Math.Sin(theta), (float)Math.Cos(theta)));
        }
        return Lathe(segments, radiusM, -radiusM, rings);
    }

    /// <summary>
    /// A capsule along +Y: a cylinder of <paramref name="radiusM"/> and <paramref name="cylinderLengthM"/>
    /// (may be 0: a sphere) capped by two hemispheres, total height length + 2 × radius, centred on the
    /// origin; <paramref name="segments"/> around, max(1, segments / 4) rings per hemisphere, smooth normals.
    /// </summary>
    public static MeshData Capsule(float radiusM, float cylinderLengthM, int segments = 32)
    {
        RequirePositive(radiusM, nameof(radiusM));
        if (!(cylinderLengthM >= 0) || !float.IsFinite(cylinderLengthM))
            throw new ArgumentOutOfRangeException(nameof(cylinderLengthM), cylinderLengthM, "must be finite and ≥ 0 m");
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 3);
        int hemisphereRings = Math.Max(1, segments / 4);
        float half = cylinderLengthM / 2;
        var rings = new List<Ring>();
        for (int k = 1; k < hemisphereRings; k++) rings.Add(CapsuleRing(radiusM, half, Math.PI / 2 * k / hemisphereRings));
        // The equators exactly, whatever cos(π/2) rounds to; with no cylinder the two coincide, so one is kept.
        rings.Add(new Ring(radiusM, half, 1, 0));
        if (cylinderLengthM > 0) rings.Add(new Ring(radiusM, -half, 1, 0));
        for (int k = 1; k < hemisphereRings; k++) rings.Add(CapsuleRing(radiusM, -half, Math.PI / 2 + Math.PI / 2 * k / hemisphereRings));
        return Lathe(segments, half + radiusM, -half - radiusM, rings);
    }

    /// <summary>
    /// A closed cylinder along +Y of <paramref name="radiusM"/> and <paramref name="heightM"/>, centred on the
    /// origin: a smooth side of <paramref name="segments"/> and two flat caps.
    /// </summary>
    public static MeshData Cylinder(float radiusM, float heightM, int segments = 32)
    {
        RequirePositive(radiusM, nameof(radiusM));
        RequirePositive(heightM, nameof(heightM));
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 3);
        float half = heightM / 2;
        Vector3[] top = new Vector3[segments], bottom = new Vector3[segments], radial = new Vector3[segments];
        for (int j = 0; j < segments; j++)
        {
            double phi = 2 * Math.PI * j / segments;
            radial[j] = new Vector3((float)Math.Cos(phi), 0, (float)Math.Sin(phi));
            top[j] = new Vector3(radiusM * radial[j].X, half, radiusM * radial[j].Z);
            bottom[j] = top[j] with { Y = -half };
        }
        var positions = new List<Vector3>();
        var normals = new List<Vector3>();
        var indices = new List<uint>();
        // Side: ring of top vertices then ring of bottom vertices, radial normals.
        for (int j = 0; j < segments; j++) { positions.Add(top[j]); normals.Add(radial[j]); }
        for (int j = 0; j < segments; j++) { positions.Add(bottom[j]); normals.Add(radial[j]); }
        for (int j = 0; j < segments; j++)
        {
            uint a = (uint)j, b = (uint)((j + 1) % segments), c = a + (uint)segments, d = b + (uint)segments;
            indices.AddRange([a, d, c, a, b, d]);
        }
        // Caps: a centre and a ring each, flat normals.
        uint topCentre = (uint)positions.Count;
        positions.Add(new Vector3(0, half, 0)); normals.Add(Vector3.UnitY);
        for (int j = 0; j < segments; j++) { positions.Add(top[j]); normals.Add(Vector3.UnitY); }
        for (int j = 0; j < segments; j++)
            indices.AddRange([topCentre, topCentre + 1 + (uint)((j + 1) % segments), topCentre + 1 + (uint)j]);
        uint bottomCentre = (uint)positions.Count;
        positions.Add(new Vector3(0, -half, 0)); normals.Add(-Vector3.UnitY);
        for (int j = 0; j < segments; j++) { positions.Add(bottom[j]); normals.Add(-Vector3.UnitY); }
        for (int j = 0; j < segments; j++)
            indices.AddRange([bottomCentre, bottomCentre + 1 + (uint)j, bottomCentre + 1 + (uint)((j + 1) % segments)]);
        return new MeshData([.. positions], [.. normals], [.. indices]);
    }

    /// <summary>
    /// A flat rectangle in the XZ plane at y = 0, <paramref name="widthM"/> along X by <paramref name="depthM"/>
    /// along Z, centred on the origin, facing +Y (one-sided: two triangles).
    /// </summary>
    public static MeshData Plane(float widthM, float depthM)
    {
        RequirePositive(widthM, nameof(widthM));
        RequirePositive(depthM, nameof(depthM));
        float x = widthM / 2, z = depthM / 2;
        Vector3[] positions = [new(-x, 0, -z), new(x, 0, -z), new(-x, 0, z), new(x, 0, z)];
        Vector3[] normals = [Vector3.UnitY, Vector3.UnitY, Vector3.UnitY, Vector3.UnitY];
        // (−x,−z) → (−x,+z) → (+x,−z) is counter-clockwise seen from +Y.
        uint[] indices = [0, 2, 1, 1, 2, 3];
        return new MeshData(positions, normals, indices);
    }

    /// <summary>
    /// Terrain from a heightfield laid out as the physics heightfield is (<c>HeightfieldShape</c>): sample
    /// (ix, iz) at <c>heightsM[iz * widthSamples + ix]</c>, x = −width/2 + ix × cell and z = −depth/2 + iz × cell
    /// with width = (widthSamples − 1) × cell, heights along +Y. Two triangles per cell, facing up; smooth
    /// normals from central differences of the heights (one-sided at the border), so a plane of any slope
    /// gets its exact normal.
    /// </summary>
    public static MeshData Terrain(ReadOnlySpan<float> heightsM, int widthSamples, int depthSamples, float cellSizeM) =>
        Terrain(heightsM, widthSamples, depthSamples, cellSizeM, cellSizeM);

    /// <summary>
    /// Terrain with cells <paramref name="cellWidthM"/> along X and <paramref name="cellDepthM"/> along Z (the
    /// physics heightfield's <c>WidthM / (WidthSamples − 1)</c> and <c>DepthM / (DepthSamples − 1)</c>, which
    /// need not be equal); otherwise as <see cref="Terrain(ReadOnlySpan{float}, int, int, float)"/>.
    /// </summary>
    public static MeshData Terrain(ReadOnlySpan<float> heightsM, int widthSamples, int depthSamples, float cellWidthM, float cellDepthM)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(widthSamples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(depthSamples, 2);
        RequirePositive(cellWidthM, nameof(cellWidthM));
        RequirePositive(cellDepthM, nameof(cellDepthM));
        if ((long)widthSamples * depthSamples != heightsM.Length)
            throw new ArgumentException($"{heightsM.Length} heights for a grid of {widthSamples} × {depthSamples} samples", nameof(heightsM));
        for (int i = 0; i < heightsM.Length; i++)
        {
            if (!float.IsFinite(heightsM[i]))
                throw new ArgumentException($"heightsM[{i}] (ix {i % widthSamples}, iz {i / widthSamples}) is {heightsM[i]}, not finite", nameof(heightsM));
        }
        float x0 = -(widthSamples - 1) * cellWidthM / 2, z0 = -(depthSamples - 1) * cellDepthM / 2;
        var positions = new Vector3[heightsM.Length];
        var normals = new Vector3[heightsM.Length];
        for (int iz = 0; iz < depthSamples; iz++)
        {
            for (int ix = 0; ix < widthSamples; ix++)
            {
                int v = iz * widthSamples + ix;
                positions[v] = new Vector3(x0 + ix * cellWidthM, heightsM[v], z0 + iz * cellDepthM);
                int xa = Math.Max(ix - 1, 0), xb = Math.Min(ix + 1, widthSamples - 1);
                int za = Math.Max(iz - 1, 0), zb = Math.Min(iz + 1, depthSamples - 1);
                float slopeX = (heightsM[iz * widthSamples + xb] - heightsM[iz * widthSamples + xa]) / ((xb - xa) * cellWidthM);
                float slopeZ = (heightsM[zb * widthSamples + ix] - heightsM[za * widthSamples + ix]) / ((zb - za) * cellDepthM);
                // The surface y = h(x, z) has normal (−∂h/∂x, 1, −∂h/∂z).
                normals[v] = Vector3.Normalize(new Vector3(-slopeX, 1, -slopeZ));
            }
        }
        var indices = new uint[(widthSamples - 1) * (depthSamples - 1) * 6];
        int n = 0;
        for (int iz = 0; iz + 1 < depthSamples; iz++)
        {
            for (int ix = 0; ix + 1 < widthSamples; ix++)
            {
                uint v00 = (uint)(iz * widthSamples + ix), v10 = v00 + 1, v01 = v00 + (uint)widthSamples, v11 = v01 + 1;
                indices[n++] = v00; indices[n++] = v01; indices[n++] = v10;
                indices[n++] = v10; indices[n++] = v01; indices[n++] = v11;
            }
        }
        return new MeshData(positions, normals, indices);
    }

    /// <summary>A ring of a sphere of <paramref name="radiusM"/> centred at height <paramref name="centreY"/>, <paramref name="theta"/> from +Y.</summary>
    private static Ring CapsuleRing(float radiusM, float centreY, double theta) =>
        new((float)(radiusM * Math.Sin(theta)), centreY + (float)(radiusM * Math.Cos(theta)), (float)Math.Sin(theta), (float)Math.Cos(theta));

    /// <summary>A ring of a surface of revolution: radius, height, and the normal's radial and Y parts.</summary>
    private readonly record struct Ring(float Radius, float Y, float NormalRadial, float NormalY);

    /// <summary>
    /// A closed surface of revolution about Y: a pole at <paramref name="topY"/>, the rings from top to
    /// bottom, a pole at <paramref name="bottomY"/>.
    /// </summary>
    private static MeshData Lathe(int segments, float topY, float bottomY, List<Ring> rings)
    {
        var positions = new List<Vector3> { new(0, topY, 0) };
        var normals = new List<Vector3> { Vector3.UnitY };
        var cos = new float[segments];
        var sin = new float[segments];
        for (int j = 0; j < segments; j++)
        {
            double phi = 2 * Math.PI * j / segments;
            cos[j] = (float)Math.Cos(phi);
            sin[j] = (float)Math.Sin(phi);
        }
        foreach (Ring ring in rings)
        {
            for (int j = 0; j < segments; j++)
            {
                positions.Add(new Vector3(ring.Radius * cos[j], ring.Y, ring.Radius * sin[j]));
                normals.Add(Vector3.Normalize(new Vector3(ring.NormalRadial * cos[j], ring.NormalY, ring.NormalRadial * sin[j])));
            }
        }
        uint bottomPole = (uint)positions.Count;
        positions.Add(new Vector3(0, bottomY, 0));
        normals.Add(-Vector3.UnitY);

        uint RingVertex(int ring, int j) => 1 + (uint)(ring * segments + (j % segments));
        var indices = new List<uint>();
        for (int j = 0; j < segments; j++) indices.AddRange([0, RingVertex(0, j + 1), RingVertex(0, j)]);
        for (int r = 0; r + 1 < rings.Count; r++)
        {
            for (int j = 0; j < segments; j++)
            {
                uint a = RingVertex(r, j), b = RingVertex(r, j + 1), c = RingVertex(r + 1, j), d = RingVertex(r + 1, j + 1);
                indices.AddRange([a, d, c, a, b, d]);
            }
        }
        int last = rings.Count - 1;
        for (int j = 0; j < segments; j++) indices.AddRange([bottomPole, RingVertex(last, j), RingVertex(last, j + 1)]);
        return new MeshData([.. positions], [.. normals], [.. indices]);
    }

    private static void RequirePositive(float valueM, string name)
    {
        if (!(valueM > 0) || !float.IsFinite(valueM))
            throw new ArgumentOutOfRangeException(name, valueM, "must be finite and > 0 m");
    }
}
