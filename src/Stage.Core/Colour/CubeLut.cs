namespace Stage.Core.Colour;

/// <summary>
/// A lookup table from an Adobe / Resolve <c>.cube</c> file: 1D (one curve per channel) or 3D (a lattice, red varying
/// fastest), with the input domain it spans. Values are RGB triples, row after row as the file lists them.
/// </summary>
public sealed class CubeLut
{
    /// <summary>Builds a table; <paramref name="values"/> holds size (1D) or size³ (3D) RGB triples.</summary>
    public CubeLut(string path, string? title, bool is3D, int size, (double R, double G, double B) domainMin, (double R, double G, double B) domainMax, float[] values)
    {
        int expected = (is3D ? size * size * size : size) * 3;
        if (values.Length != expected) throw new ArgumentException($"expected {expected} values, got {values.Length}", nameof(values));
        Path = path;
        Title = title;
        Is3D = is3D;
        Size = size;
        DomainMin = domainMin;
        DomainMax = domainMax;
        Values = values;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The file's TITLE, if any.</summary>
    public string? Title { get; }

    /// <summary>True for a 3D lattice, false for per-channel curves.</summary>
    public bool Is3D { get; }

    /// <summary>Entries along each axis (3D) or of each curve (1D).</summary>
    public int Size { get; }

    /// <summary>The input value at the first entry of each axis.</summary>
    public (double R, double G, double B) DomainMin { get; }

    /// <summary>The input value at the last entry of each axis.</summary>
    public (double R, double G, double B) DomainMax { get; }

    /// <summary>RGB triples: 3D index r + g·N + b·N², 1D index i.</summary>
    public float[] Values { get; }

    /// <summary>
    /// The table as a 3D lattice of <paramref name="size"/>³ entries over the same domain (a 3D table of that size as it
    /// is; a 1D table sampled per channel, each curve interpolated linearly) — what the GPU samples.
    /// </summary>
    public float[] ToLattice(out int size)
    {
        if (Is3D)
        {
            size = Size;
            return Values;
        }
        size = Math.Min(Size, 65);
        int n = size;
        var lattice = new float[n * n * n * 3];
        for (int b = 0; b < n; b++)
        for (int g = 0; g < n; g++)
        for (int r = 0; r < n; r++)
        {
            int i = (r + g * n + b * n * n) * 3;
            lattice[i] = (float)Curve(0, r / (double)(n - 1));
            lattice[i + 1] = (float)Curve(1, g / (double)(n - 1));
            lattice[i + 2] = (float)Curve(2, b / (double)(n - 1));
        }
        return lattice;
    }

    // A 1D curve at position t (0 … 1 across its entries), linearly interpolated.
    private double Curve(int channel, double t)
    {
        double x = Math.Clamp(t, 0, 1) * (Size - 1);
        int i = Math.Min((int)x, Size - 2);
        double f = x - i;
        return Values[i * 3 + channel] * (1 - f) + Values[(i + 1) * 3 + channel] * f;
    }
}
