using System.Globalization;
using System.Numerics;
using Stage.Core.Space;

namespace Stage.Tracking.Simulation;

/// <summary>Where a simulated camera is at a time: a pose and a focal length.</summary>
/// <param name="Pose">Stage-space pose of the tracked point.</param>
/// <param name="FocalLengthMm">Lens, mm.</param>
public readonly record struct PathPoint(Pose Pose, double FocalLengthMm);

/// <summary>
/// Realistic camera motion for demos, tests and rehearsals without a tracking system. Every path is a
/// pure function of time (and, for handheld, of its seed): the same time always gives the same pose.
/// </summary>
public abstract class CameraPath
{
    /// <summary>The pose at <paramref name="seconds"/> from the start.</summary>
    public abstract PathPoint At(double seconds);

    /// <summary>A built-in path by name (orbit, dolly, handheld) or a CSV file path.</summary>
    /// <exception cref="FormatException">The file is not a valid path file; the message names line and column.</exception>
    public static CameraPath Create(string nameOrFile, double focalLengthMm) => nameOrFile switch
    {
        "orbit" => new OrbitPath(focalLengthMm),
        "dolly" => new DollyPath(focalLengthMm),
        "handheld" => new HandheldPath(focalLengthMm, seed: 1),
        _ => FilePath.Load(nameOrFile, focalLengthMm),
    };
}

/// <summary>Circles a point of interest 4 m ahead at 3 m radius, once a minute, looking at it.</summary>
public sealed class OrbitPath(double focalLengthMm) : CameraPath
{
    /// <inheritdoc/>
    public override PathPoint At(double seconds)
    {
        double angle = seconds * 2 * Math.PI / 60;
        var target = new Vector3(0, 1.5f, -4);
        var position = new Vector3((float)(3 * Math.Sin(angle)), 1.7f, (float)(-4 + 3 * Math.Cos(angle)));
        return new PathPoint(LookAt(position, target), focalLengthMm);
    }

    internal static Pose LookAt(Vector3 position, Vector3 target)
    {
        Vector3 d = Vector3.Normalize(target - position);
        double pan = double.RadiansToDegrees(Math.Atan2(d.X, -d.Z));
        double tilt = double.RadiansToDegrees(Math.Asin(Math.Clamp(d.Y, -1f, 1f)));
        return Pose.FromPanTiltRoll(position, new PanTiltRoll(pan, tilt, 0));
    }
}

/// <summary>A straight push-in toward the wall from 3 m to 0.5 m and back, every 20 s, with a slow zoom.</summary>
public sealed class DollyPath(double focalLengthMm) : CameraPath
{
    /// <inheritdoc/>
    public override PathPoint At(double seconds)
    {
        double phase = (1 - Math.Cos(seconds * 2 * Math.PI / 20)) / 2;
        var position = new Vector3(0, 1.6f, (float)(3 - 2.5 * phase));
        return new PathPoint(Pose.FromPanTiltRoll(position, new PanTiltRoll(0, -1, 0)), focalLengthMm * (1 + 0.3 * phase));
    }
}

/// <summary>A handheld operator: smooth seeded noise of a few centimetres and degrees around a rest pose.</summary>
public sealed class HandheldPath(double focalLengthMm, int seed) : CameraPath
{
    private readonly double[] _phases = MakePhases(seed);

    /// <inheritdoc/>
    public override PathPoint At(double seconds)
    {
        double N(int axis) => 0.6 * Math.Sin(seconds * 1.3 + _phases[axis]) + 0.3 * Math.Sin(seconds * 2.9 + _phases[axis + 6]) + 0.1 * Math.Sin(seconds * 7.1 + _phases[axis + 12]);
        var position = new Vector3((float)(0.04 * N(0)), (float)(1.6 + 0.03 * N(1)), (float)(2 + 0.04 * N(2)));
        return new PathPoint(Pose.FromPanTiltRoll(position, new PanTiltRoll(2 * N(3), -1 + 1.5 * N(4), 1 * N(5))), focalLengthMm);
    }

    private static double[] MakePhases(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 18).Select(_ => random.NextDouble() * 2 * Math.PI)];
    }
}

/// <summary>
/// A recorded move from a CSV file: a header line, then <c>time,x,y,z,pan,tilt,roll[,focalMm]</c> per
/// line (seconds, metres, degrees; stage space), times ascending; interpolated linearly, held after
/// the last line. Lines starting with '#' are comments.
/// </summary>
public sealed class FilePath : CameraPath
{
    private readonly double[] _times;
    private readonly double[][] _rows;
    private readonly double _defaultFocalMm;

    private FilePath(double[] times, double[][] rows, double defaultFocalMm)
    {
        _times = times;
        _rows = rows;
        _defaultFocalMm = defaultFocalMm;
    }

    /// <summary>Reads a path file.</summary>
    /// <exception cref="FormatException">Missing, empty, or a bad value: the message names the line and column.</exception>
    public static FilePath Load(string path, double defaultFocalMm)
    {
        if (!File.Exists(path)) throw new FormatException($"path '{path}' is neither orbit, dolly, handheld nor an existing CSV file");
        var times = new List<double>();
        var rows = new List<double[]>();
        string[] lines = File.ReadAllLines(path);
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] cells = line.Split(',');
            if (cells.Length is not (7 or 8)) throw new FormatException($"{path}:{i + 1}: expected time,x,y,z,pan,tilt,roll[,focalMm], found {cells.Length} columns");
            var row = new double[cells.Length];
            for (int c = 0; c < cells.Length; c++)
            {
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out row[c]) || !double.IsFinite(row[c]))
                    throw new FormatException($"{path}:{i + 1}:{c + 1}: '{cells[c].Trim()}' is not a number");
            }
            if (times.Count > 0 && row[0] <= times[^1]) throw new FormatException($"{path}:{i + 1}:1: time {row[0]} does not come after {times[^1]}");
            times.Add(row[0]);
            rows.Add(row);
        }
        if (rows.Count == 0) throw new FormatException($"{path}: no poses after the header line");
        return new FilePath([.. times], [.. rows], defaultFocalMm);
    }

    /// <inheritdoc/>
    public override PathPoint At(double seconds)
    {
        int next = Array.BinarySearch(_times, seconds);
        if (next < 0) next = ~next;
        if (next == 0) return Point(_rows[0]);
        if (next >= _rows.Length) return Point(_rows[^1]);
        double[] a = _rows[next - 1], b = _rows[next];
        double t = (seconds - a[0]) / (b[0] - a[0]);
        var mixed = new double[Math.Max(a.Length, b.Length)];
        for (int i = 0; i < mixed.Length; i++)
            mixed[i] = i < a.Length && i < b.Length ? a[i] + (b[i] - a[i]) * t : i < a.Length ? a[i] : b[i];
        return Point(mixed);
    }

    private PathPoint Point(double[] r) =>
        new(Pose.FromPanTiltRoll(new Vector3((float)r[1], (float)r[2], (float)r[3]), new PanTiltRoll(r[4], r[5], r[6])), r.Length > 7 ? r[7] : _defaultFocalMm);
}
