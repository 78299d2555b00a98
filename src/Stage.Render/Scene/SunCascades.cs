using System.Numerics;

namespace Stage.Render.Scene;

/// <summary>
/// Cascaded sun shadows for one perspective view: the view's depth from its near plane to a cascade far distance is
/// split practically (half logarithmic, half linear), and each slice gets an orthographic box along the sun fitted to
/// the sphere around the slice's eight corners. The sphere's radius does not change as the view turns and its centre
/// is snapped to whole texels in the sun's frame, so shadow edges do not shimmer while the camera moves. Depth spans
/// every shadow caster (the same range as <see cref="SunShadow"/>'s map), so a caster outside a slice still shadows it.
/// </summary>
public static class SunCascades
{
    /// <summary>The blend of logarithmic (1) and linear (0) split distances.</summary>
    public const float SplitLambda = 0.5f;

    /// <summary>
    /// Fits up to <paramref name="result"/>.Length cascades to <paramref name="viewProjection"/> (stage → clip, Vulkan depth
    /// 0..1, either direction, far plane finite or not). Each box's radius is the slice's plus <paramref name="marginM"/>
    /// (the view's final pose is latched after the fit). Returns the number fitted: 0 when the view is not a perspective
    /// one. <paramref name="texelM"/> gets each cascade's texel size in metres, <paramref name="splitsM"/> the slices' far depths.
    /// </summary>
    public static int Fit(Vector3 sunDirection, Vector3 casterCentreM, float casterRadiusM, in Matrix4x4 viewProjection,
        float cascadeFarM, float marginM, int mapSize, Span<Matrix4x4> result, Span<float> texelM, Span<float> splitsM)
    {
        int count = result.Length;
        if (count == 0 || mapSize <= 0) return 0;
        if (!Matrix4x4.Invert(viewProjection, out Matrix4x4 inverse)) return 0;
        // Clip w is the view depth of a perspective projection: w = P · c + M44.
        var c = new Vector3(viewProjection.M14, viewProjection.M24, viewProjection.M34);
        float m44 = viewProjection.M44;
        float cLength = c.Length();
        if (cLength < 1e-9f) return 0;
        Vector3 forward = c / cLength;
        Vector4 eye4 = Vector4.Transform(new Vector4(0, 0, 1, 0), inverse);
        if (MathF.Abs(eye4.W) < 1e-12f) return 0;
        var eye = new Vector3(eye4.X, eye4.Y, eye4.Z) / eye4.W;
        float near = Depth(Unproject(inverse, 0, 0, 0)), far = Depth(Unproject(inverse, 0, 0, 1));
        if (near > far || !float.IsFinite(near)) (near, far) = (far, near);
        if (!float.IsFinite(far) || far <= 0) far = cascadeFarM;
        far = MathF.Min(far, cascadeFarM);
        if (!(near > 0) || far <= near) return 0;

        // The four corner rays, scaled to one metre of view depth.
        Span<Vector3> rays = stackalloc Vector3[4];
        for (var k = 0; k < 4; k++)
        {
            Vector3 u = Unproject(inverse, (k & 1) == 0 ? -1 : 1, (k & 2) == 0 ? -1 : 1, 0.5f) - eye;
            float along = Vector3.Dot(u, forward);
            if (!(along > 0)) return 0;
            rays[k] = u / along;
        }

        Vector3 d = Vector3.Normalize(sunDirection);
        Vector3 up = MathF.Abs(d.Y) > 0.99f ? Vector3.UnitZ : Vector3.UnitY;
        Matrix4x4 sunView = Matrix4x4.CreateLookAt(Vector3.Zero, d, up);
        float depthNear = Vector3.Dot(casterCentreM, d) - casterRadiusM;
        float depthSpan = 2 * casterRadiusM;
        float sliceNear = near;
        for (var i = 0; i < count; i++)
        {
            float t = (i + 1) / (float)count;
            float sliceFar = SplitLambda * near * MathF.Pow(far / near, t) + (1 - SplitLambda) * (near + (far - near) * t);
            Vector3 centre = Vector3.Zero;
            for (var k = 0; k < 4; k++) centre += eye + rays[k] * sliceNear + eye + rays[k] * sliceFar;
            centre /= 8;
            float radius = 0;
            for (var k = 0; k < 4; k++)
            {
                radius = MathF.Max(radius, Vector3.Distance(centre, eye + rays[k] * sliceNear));
                radius = MathF.Max(radius, Vector3.Distance(centre, eye + rays[k] * sliceFar));
            }
            // Rounded up to 1/16 m so that float noise in the corners does not rescale the box frame to frame.
            radius = MathF.Ceiling((radius + marginM) * 16) / 16;
            float texel = 2 * radius / mapSize;
            Vector3 centreSun = Vector3.Transform(centre, sunView);
            float cx = MathF.Floor(centreSun.X / texel) * texel, cy = MathF.Floor(centreSun.Y / texel) * texel;
            // Sun view looks down −z: depth along the sun is −z, mapped from the casters' near side (0) to far side (1).
            var ortho = new Matrix4x4
            {
                M11 = 1 / radius,
                M22 = 1 / radius,
                M41 = -cx / radius,
                M42 = -cy / radius,
                M33 = -1 / depthSpan,
                M43 = -depthNear / depthSpan,
                M44 = 1,
            };
            result[i] = sunView * ortho;
            texelM[i] = texel;
            splitsM[i] = sliceFar;
            sliceNear = sliceFar;
        }
        return count;

        float Depth(Vector3 p) => (Vector3.Dot(p, c) + m44) / cLength;
    }

    /// <summary>
    /// Stage → the sun frame every shadow layer is an affine map of: x, y in metres across the sun (the cascades' and the
    /// caster-fitted map's shared rotation), z the casters' depth along the sun, 0 (nearest the sun) … 1, as every
    /// layer's. A layer's clip x, y are then the frame's x, y × 1 / its radius minus its centre / its radius.
    /// </summary>
    public static Matrix4x4 SunFrame(Vector3 sunDirection, Vector3 casterCentreM, float casterRadiusM)
    {
        Vector3 d = Vector3.Normalize(sunDirection);
        Vector3 up = MathF.Abs(d.Y) > 0.99f ? Vector3.UnitZ : Vector3.UnitY;
        float depthNear = Vector3.Dot(casterCentreM, d) - casterRadiusM;
        float depthSpan = 2 * casterRadiusM;
        return Matrix4x4.CreateLookAt(Vector3.Zero, d, up) * new Matrix4x4
        {
            M11 = 1,
            M22 = 1,
            M33 = -1 / depthSpan,
            M43 = -depthNear / depthSpan,
            M44 = 1,
        };
    }

    private static Vector3 Unproject(in Matrix4x4 inverse, float x, float y, float z)
    {
        Vector4 p = Vector4.Transform(new Vector4(x, y, z, 1), inverse);
        return new Vector3(p.X, p.Y, p.Z) / p.W;
    }
}
