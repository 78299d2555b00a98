namespace Stage.Physics;

/// <summary>
/// A double-precision 3-vector in stage space (metres, +Y up), the precision ODE computes in.
/// Kept separate from System.Numerics (single precision) so physics state round-trips exactly.
/// </summary>
public readonly record struct Vector3D(double X, double Y, double Z)
{
    /// <summary>(0, 0, 0).</summary>
    public static Vector3D Zero => default;

    /// <summary>(0, 1, 0): stage up.</summary>
    public static Vector3D UnitY => new(0, 1, 0);

    /// <summary>Euclidean length.</summary>
    public double Length => Math.Sqrt(LengthSquared);

    /// <summary>Squared length (no square root).</summary>
    public double LengthSquared => X * X + Y * Y + Z * Z;

    /// <summary>Component-wise sum.</summary>
    public static Vector3D operator +(Vector3D a, Vector3D b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    /// <summary>Component-wise difference.</summary>
    public static Vector3D operator -(Vector3D a, Vector3D b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    /// <summary>Negation.</summary>
    public static Vector3D operator -(Vector3D a) => new(-a.X, -a.Y, -a.Z);

    /// <summary>Scaling.</summary>
    public static Vector3D operator *(Vector3D a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    /// <summary>Scaling.</summary>
    public static Vector3D operator *(double s, Vector3D a) => a * s;

    /// <summary>Dot product.</summary>
    public static double Dot(Vector3D a, Vector3D b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    /// <summary>Cross product (right-handed).</summary>
    public static Vector3D Cross(Vector3D a, Vector3D b) =>
        new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    /// <summary>True when every component is finite.</summary>
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>True when both vectors have the same bits in every component (0.0 ≠ −0.0, NaN = same NaN).</summary>
    public bool BitEquals(Vector3D other) =>
        BitConverter.DoubleToInt64Bits(X) == BitConverter.DoubleToInt64Bits(other.X)
        && BitConverter.DoubleToInt64Bits(Y) == BitConverter.DoubleToInt64Bits(other.Y)
        && BitConverter.DoubleToInt64Bits(Z) == BitConverter.DoubleToInt64Bits(other.Z);
}

/// <summary>
/// A double-precision rotation quaternion, in ODE's component order (W, X, Y, Z).
/// </summary>
public readonly record struct QuaternionD(double W, double X, double Y, double Z)
{
    /// <summary>No rotation.</summary>
    public static QuaternionD Identity => new(1, 0, 0, 0);

    /// <summary>The rotation by <paramref name="angleRad"/> about <paramref name="axis"/> (normalised here).</summary>
    public static QuaternionD FromAxisAngle(Vector3D axis, double angleRad)
    {
        double length = axis.Length;
        if (!(length > 0) || !double.IsFinite(length)) throw new ArgumentException("The axis must be a finite non-zero vector.", nameof(axis));
        double s = Math.Sin(angleRad / 2) / length;
        return new QuaternionD(Math.Cos(angleRad / 2), axis.X * s, axis.Y * s, axis.Z * s);
    }

    /// <summary>Euclidean norm of the four components.</summary>
    public double Norm => Math.Sqrt(W * W + X * X + Y * Y + Z * Z);

    /// <summary>Rotates a vector by this (unit) quaternion.</summary>
    public Vector3D Rotate(Vector3D v)
    {
        var u = new Vector3D(X, Y, Z);
        Vector3D t = 2 * Vector3D.Cross(u, v);
        return v + W * t + Vector3D.Cross(u, t);
    }

    /// <summary>True when every component is finite.</summary>
    public bool IsFinite => double.IsFinite(W) && double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>True when both quaternions have the same bits in every component.</summary>
    public bool BitEquals(QuaternionD other) =>
        BitConverter.DoubleToInt64Bits(W) == BitConverter.DoubleToInt64Bits(other.W)
        && BitConverter.DoubleToInt64Bits(X) == BitConverter.DoubleToInt64Bits(other.X)
        && BitConverter.DoubleToInt64Bits(Y) == BitConverter.DoubleToInt64Bits(other.Y)
        && BitConverter.DoubleToInt64Bits(Z) == BitConverter.DoubleToInt64Bits(other.Z);
}
