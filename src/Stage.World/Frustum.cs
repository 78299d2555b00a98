using System.Numerics;
using Stage.Physics;

namespace Stage.World;

/// <summary>A plane n·p + d = 0 whose normal points into the inside half-space.</summary>
public readonly record struct FrustumPlane(Vector3D Normal, double D)
{
    /// <summary>Signed distance of a point (positive inside) for a unit normal.</summary>
    public double DistanceM(Vector3D p) => Vector3D.Dot(Normal, p) + D;
}

/// <summary>Six planes bounding a view volume; a point is inside when it is inside all six.</summary>
public sealed class Frustum
{
    private readonly FrustumPlane[] _planes;

    /// <summary>A frustum from six planes (normals pointing inwards; normalised here).</summary>
    public Frustum(IReadOnlyList<FrustumPlane> planes)
    {
        ArgumentNullException.ThrowIfNull(planes);
        if (planes.Count != 6) throw new ArgumentException($"A frustum has six planes, not {planes.Count}.", nameof(planes));
        _planes = new FrustumPlane[6];
        for (int i = 0; i < 6; i++)
        {
            double length = planes[i].Normal.Length;
            if (!(length > 0) || !double.IsFinite(length)) throw new ArgumentException($"Plane [{i}] has no direction.", nameof(planes));
            _planes[i] = new FrustumPlane(planes[i].Normal * (1 / length), planes[i].D / length);
        }
    }

    /// <summary>The planes (unit normals, inward): left, right, bottom, top, near, far.</summary>
    public IReadOnlyList<FrustumPlane> Planes => _planes;

    /// <summary>
    /// The frustum of a view-projection matrix in System.Numerics' row-vector convention
    /// (clip = p · M) with Vulkan's clip depth 0 ≤ z ≤ w (Gribb–Hartmann plane extraction).
    /// </summary>
    public static Frustum FromViewProjection(Matrix4x4 m)
    {
        var c1 = new Vector4D(m.M11, m.M21, m.M31, m.M41);
        var c2 = new Vector4D(m.M12, m.M22, m.M32, m.M42);
        var c3 = new Vector4D(m.M13, m.M23, m.M33, m.M43);
        var c4 = new Vector4D(m.M14, m.M24, m.M34, m.M44);
        return new Frustum([
            (c4 + c1).ToPlane(), (c4 - c1).ToPlane(),
            (c4 + c2).ToPlane(), (c4 - c2).ToPlane(),
            c3.ToPlane(), (c4 - c3).ToPlane(),
        ]);
    }

    /// <summary>True when a sphere of <paramref name="radiusM"/> at <paramref name="centreM"/> is at least partly inside.</summary>
    public bool IntersectsSphere(Vector3D centreM, double radiusM)
    {
        foreach (FrustumPlane plane in _planes)
        {
            if (plane.DistanceM(centreM) < -radiusM) return false;
        }
        return true;
    }

    private readonly record struct Vector4D(double X, double Y, double Z, double W)
    {
        public static Vector4D operator +(Vector4D a, Vector4D b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z, a.W + b.W);

        public static Vector4D operator -(Vector4D a, Vector4D b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z, a.W - b.W);

        public FrustumPlane ToPlane() => new(new Vector3D(X, Y, Z), W);
    }
}
