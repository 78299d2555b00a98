namespace Stage.Core.Colour;

/// <summary>A 3 × 3 matrix of doubles, row major, acting on column vectors (RGB or XYZ).</summary>
/// <param name="M00">Row 0, column 0.</param><param name="M01">Row 0, column 1.</param><param name="M02">Row 0, column 2.</param>
/// <param name="M10">Row 1, column 0.</param><param name="M11">Row 1, column 1.</param><param name="M12">Row 1, column 2.</param>
/// <param name="M20">Row 2, column 0.</param><param name="M21">Row 2, column 1.</param><param name="M22">Row 2, column 2.</param>
public readonly record struct ColourMatrix(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    /// <summary>The identity.</summary>
    public static ColourMatrix Identity { get; } = new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>A diagonal matrix (per-channel gains).</summary>
    public static ColourMatrix Diagonal(double r, double g, double b) => new(r, 0, 0, 0, g, 0, 0, 0, b);

    /// <summary>The matrix from nine numbers, row major.</summary>
    public static ColourMatrix FromRows(ReadOnlySpan<double> m)
    {
        if (m.Length != 9) throw new ArgumentException("a 3 × 3 matrix takes nine numbers", nameof(m));
        return new(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]);
    }

    /// <summary>Element (row, column).</summary>
    public double this[int row, int column] => (row * 3 + column) switch
    {
        0 => M00, 1 => M01, 2 => M02, 3 => M10, 4 => M11, 5 => M12, 6 => M20, 7 => M21, 8 => M22,
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    /// <summary>The matrix applied to a column vector.</summary>
    public (double X, double Y, double Z) Apply(double x, double y, double z) =>
        (M00 * x + M01 * y + M02 * z, M10 * x + M11 * y + M12 * z, M20 * x + M21 * y + M22 * z);

    /// <summary>The product a · b (b applied first).</summary>
    public static ColourMatrix operator *(ColourMatrix a, ColourMatrix b)
    {
        double E(int r, int c) => a[r, 0] * b[0, c] + a[r, 1] * b[1, c] + a[r, 2] * b[2, c];
        return new(E(0, 0), E(0, 1), E(0, 2), E(1, 0), E(1, 1), E(1, 2), E(2, 0), E(2, 1), E(2, 2));
    }

    /// <summary>Every element scaled.</summary>
    public static ColourMatrix operator *(ColourMatrix a, double s) =>
        new(a.M00 * s, a.M01 * s, a.M02 * s, a.M10 * s, a.M11 * s, a.M12 * s, a.M20 * s, a.M21 * s, a.M22 * s);

    /// <summary>The inverse (by the adjugate); throws when the matrix is singular.</summary>
    public ColourMatrix Inverse()
    {
        double det = M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);
        if (Math.Abs(det) < 1e-12) throw new InvalidOperationException("the matrix is singular");
        double k = 1 / det;
        return new(
            (M11 * M22 - M12 * M21) * k, (M02 * M21 - M01 * M22) * k, (M01 * M12 - M02 * M11) * k,
            (M12 * M20 - M10 * M22) * k, (M00 * M22 - M02 * M20) * k, (M02 * M10 - M00 * M12) * k,
            (M10 * M21 - M11 * M20) * k, (M01 * M20 - M00 * M21) * k, (M00 * M11 - M01 * M10) * k);
    }
}
