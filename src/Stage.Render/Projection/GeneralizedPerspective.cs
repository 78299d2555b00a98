using System.Numerics;

namespace Stage.Render.Projection;

/// <summary>
/// Kooima's generalised (off-axis) perspective projection: the view-projection that maps a flat
/// screen rectangle, seen from an eye anywhere, exactly onto the full image. For a flat LED wall it is
/// what the compose pass produces per pixel; Stage uses it to check that pass and for per-wall frusta.
/// </summary>
public static class GeneralizedPerspective
{
    /// <summary>
    /// The stage → clip matrix for a screen with corners <paramref name="lowerLeftM"/>, <paramref name="lowerRightM"/>
    /// and <paramref name="upperLeftM"/> (stage space, metres) seen from <paramref name="eyeM"/>.
    /// The screen's lower-left corner lands at NDC (−1, +1) and its upper-left at (−1, −1) (Vulkan, y down).
    /// </summary>
    /// <exception cref="ArgumentException">The corners are degenerate or the eye is on the screen plane or behind it.</exception>
    public static Matrix4x4 ViewProjection(Vector3 lowerLeftM, Vector3 lowerRightM, Vector3 upperLeftM, Vector3 eyeM, double nearM, double farM)
    {
        Vector3 right = lowerRightM - lowerLeftM, up = upperLeftM - lowerLeftM;
        if (right.LengthSquared() == 0 || up.LengthSquared() == 0) throw new ArgumentException("screen corners must span a rectangle");
        Vector3 vr = Vector3.Normalize(right), vu = Vector3.Normalize(up);
        Vector3 vn = Vector3.Normalize(Vector3.Cross(vr, vu));
        Vector3 va = lowerLeftM - eyeM, vb = lowerRightM - eyeM, vc = upperLeftM - eyeM;
        double distance = -Vector3.Dot(va, vn);
        if (!(distance > 1e-6)) throw new ArgumentException($"the eye must be in front of the screen (its distance is {distance} m)");
        // Extents at unit distance: Kooima's l, r, b, t divided by the near plane.
        double left = Vector3.Dot(vr, va) / distance;
        double rightExtent = Vector3.Dot(vr, vb) / distance;
        double bottom = Vector3.Dot(vu, va) / distance;
        double top = Vector3.Dot(vu, vc) / distance;
        // Stage → screen-aligned eye space: translate the eye to the origin, then rotate onto (vr, vu, vn).
        var rotation = new Matrix4x4(
            vr.X, vu.X, vn.X, 0,
            vr.Y, vu.Y, vn.Y, 0,
            vr.Z, vu.Z, vn.Z, 0,
            0, 0, 0, 1);
        return Matrix4x4.CreateTranslation(-eyeM) * rotation * ClipSpace.OffAxisPerspective(left, rightExtent, bottom, top, nearM, farM);
    }
}
