using System.Numerics;

namespace Stage.Render.Projection;

/// <summary>
/// Vulkan's clip conventions, in one place: x right and y <b>down</b> in normalised device
/// coordinates (−1..1), depth 0 at the near plane and 1 at the far plane. Every projection in Stage
/// is built here from the extents of a frustum, so the y flip and the depth range happen once.
/// Matrices are System.Numerics row-vector matrices (clip = v · M); uploaded as they are to a GLSL
/// <c>mat4</c> (column-major) they read as the column-vector matrix <c>M * v</c>.
/// </summary>
public static class ClipSpace
{
    /// <summary>
    /// An off-axis perspective projection for a camera looking down −Z, +Y up, from the frustum's
    /// extents at unit distance (tangents of the half-angles): <paramref name="left"/> &lt; <paramref name="right"/>,
    /// <paramref name="bottom"/> &lt; <paramref name="top"/>.
    /// </summary>
    public static Matrix4x4 OffAxisPerspective(double left, double right, double bottom, double top, double nearM, double farM)
    {
        if (!(right > left) || !(top > bottom)) throw new ArgumentException($"empty frustum: left {left}, right {right}, bottom {bottom}, top {top}");
        if (!(nearM > 0) || !(farM > nearM)) throw new ArgumentException($"near {nearM} m and far {farM} m must satisfy 0 < near < far");
        double width = right - left, height = top - bottom;
        var m = new Matrix4x4
        {
            M11 = (float)(2 / width),
            M31 = (float)((right + left) / width),
            // Vulkan: +Y down in the framebuffer, so up in the eye is negative in clip space.
            M22 = (float)(-2 / height),
            M32 = (float)(-(top + bottom) / height),
            // Depth 0 at −near, 1 at −far.
            M33 = (float)(farM / (nearM - farM)),
            M43 = (float)(nearM * farM / (nearM - farM)),
            M34 = -1f,
        };
        return m;
    }

    /// <summary>Clip coordinates after the perspective divide: x, y in −1..1 (y down), z depth 0..1.</summary>
    public static Vector3 ToNdc(Vector4 clip) => new(clip.X / clip.W, clip.Y / clip.W, clip.Z / clip.W);

    /// <summary>Projects a point: (stage point · viewProjection) then the divide. W ≤ 0 (behind the eye) gives NaN.</summary>
    public static Vector3 Project(Vector3 pointM, Matrix4x4 viewProjection)
    {
        Vector4 clip = Vector4.Transform(new Vector4(pointM, 1), viewProjection);
        return clip.W <= 0 ? new Vector3(float.NaN) : ToNdc(clip);
    }

    /// <summary>NDC (−1..1, y down) to texture coordinates (0..1, origin top-left).</summary>
    public static Vector2 NdcToUv(Vector3 ndc) => new((ndc.X + 1) / 2, (ndc.Y + 1) / 2);
}
