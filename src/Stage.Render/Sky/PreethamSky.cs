using System.Numerics;
using Stage.Core.Colour;

namespace Stage.Render.Sky;

/// <summary>
/// The clear daylight sky of Preetham, Shirley &amp; Smits, "A Practical Analytic Model for Daylight" (SIGGRAPH 1999):
/// the luminance Y and chromaticity x, y of a sky direction at angle θ from the zenith and γ from the sun are the
/// zenith's values times Perez's distribution F(θ, γ) = (1 + A·e^(B / cos θ))(1 + C·e^(D·γ) + E·cos²γ) over F(0, θs),
/// with A…E linear in the turbidity T (the paper's appendix). The zenith luminance is
/// Yz = (4.0453·T − 4.9710)·tan χ − 0.2155·T + 2.4192 kcd/m², χ = (4/9 − T/120)(π − 2θs); the zenith chromaticity a
/// cubic in θs and quadratic in T. xyY → CIE XYZ → linear Rec.709 (the working space's primaries). Below the horizon
/// the ground: a Lambert surface of the given albedo lit by the sky's and the sun's illuminance on a horizontal plane.
/// </summary>
public sealed class PreethamSky
{
    /// <summary>The sun's illuminance on a surface facing it that the absolute sky belongs with, lux (clear-sky noon sunlight).</summary>
    public const double ReferenceSunLux = 100_000;

    private static readonly ColourMatrix XyzToWorking = ColourSpaces.RgbToXyz(Primaries.Rec709).Inverse();

    private readonly Vector3 _toSun;
    private readonly double _thetaS;
    private readonly double[] _perezY, _perezX, _perezYy;
    private readonly double _zenithY, _zenithX, _zenithYy;
    private readonly double _normY, _normX, _normYy;

    /// <summary>The sky for a sun in direction <paramref name="toSun"/> (stage space, toward the sun; clamped to the horizon when below).</summary>
    /// <param name="toSun">Toward the sun.</param>
    /// <param name="turbidity">Haze, 1.7 (very clear) … 10 (hazy); the model is fitted for 2 … 10.</param>
    /// <param name="groundAlbedo">The ground's reflectance below the horizon, 0 … 1.</param>
    public PreethamSky(Vector3 toSun, double turbidity, double groundAlbedo)
    {
        if (!(turbidity >= 1.7 && turbidity <= 10)) throw new ArgumentOutOfRangeException(nameof(turbidity), turbidity, "the Preetham sky's turbidity is 1.7 … 10");
        if (!(groundAlbedo >= 0 && groundAlbedo <= 1)) throw new ArgumentOutOfRangeException(nameof(groundAlbedo), groundAlbedo, "a ground albedo is 0 … 1");
        Turbidity = turbidity;
        GroundAlbedo = groundAlbedo;
        Vector3 s = Vector3.Normalize(toSun);
        // A sun below the horizon lights the sky as one on it (the model ends there); the caller dims twilight.
        if (s.Y < 0) s = Vector3.Normalize(new Vector3(s.X, 0, s.Z) + new Vector3(0, 1e-4f, 0));
        _toSun = s;
        double T = turbidity;
        _thetaS = Math.Acos(Math.Clamp(s.Y, -1, 1));
        _perezY = [0.1787 * T - 1.4630, -0.3554 * T + 0.4275, -0.0227 * T + 5.3251, 0.1206 * T - 2.5771, -0.0670 * T + 0.3703];
        _perezX = [-0.0193 * T - 0.2592, -0.0665 * T + 0.0008, -0.0004 * T + 0.2125, -0.0641 * T - 0.8989, -0.0033 * T + 0.0452];
        _perezYy = [-0.0167 * T - 0.2608, -0.0950 * T + 0.0092, -0.0079 * T + 0.2102, -0.0441 * T - 1.6537, -0.0109 * T + 0.0529];
        (_zenithY, _zenithX, _zenithYy) = Zenith(T, _thetaS);
        _normY = Perez(_perezY, 0, _thetaS);
        _normX = Perez(_perezX, 0, _thetaS);
        _normYy = Perez(_perezYy, 0, _thetaS);
    }

    /// <summary>The turbidity.</summary>
    public double Turbidity { get; }

    /// <summary>The ground's albedo.</summary>
    public double GroundAlbedo { get; }

    /// <summary>
    /// The zenith's luminance (cd/m²) and chromaticity (x, y) for turbidity <paramref name="turbidity"/> and the sun
    /// <paramref name="thetaSun"/> radians from the zenith (the paper's equations in its appendix A.2).
    /// </summary>
    public static (double LuminanceNits, double X, double Y) Zenith(double turbidity, double thetaSun)
    {
        double T = turbidity, t = thetaSun;
        double chi = (4.0 / 9.0 - T / 120.0) * (Math.PI - 2 * t);
        double yz = ((4.0453 * T - 4.9710) * Math.Tan(chi) - 0.2155 * T + 2.4192) * 1000;
        double t2 = t * t, t3 = t2 * t, T2 = T * T;
        double xz = T2 * (0.00166 * t3 - 0.00375 * t2 + 0.00209 * t)
                  + T * (-0.02903 * t3 + 0.06377 * t2 - 0.03202 * t + 0.00394)
                  + (0.11693 * t3 - 0.21196 * t2 + 0.06052 * t + 0.25886);
        double yyz = T2 * (0.00275 * t3 - 0.00610 * t2 + 0.00317 * t)
                   + T * (-0.04214 * t3 + 0.08970 * t2 - 0.04153 * t + 0.00516)
                   + (0.15346 * t3 - 0.26756 * t2 + 0.06670 * t + 0.26688);
        return (yz, xz, yyz);
    }

    private static double Perez(double[] c, double theta, double gamma)
    {
        double cosG = Math.Cos(gamma);
        return (1 + c[0] * Math.Exp(c[1] / Math.Cos(theta))) * (1 + c[2] * Math.Exp(c[3] * gamma) + c[4] * cosG * cosG);
    }

    /// <summary>The sky's luminance (cd/m²) and chromaticity in direction <paramref name="direction"/> (held just above the horizon when below it).</summary>
    public (double LuminanceNits, double X, double Y) SkyXyY(Vector3 direction)
    {
        Vector3 d = Vector3.Normalize(direction);
        // Perez's 1/cos θ diverges at the horizon: directions are held 0.5° above it.
        double theta = Math.Min(Math.Acos(Math.Clamp(d.Y, -1, 1)), Math.PI / 2 - 0.0087);
        Vector3 above = Vector3.Normalize(new Vector3(d.X, MathF.Max(d.Y, 0.0087f), d.Z));
        double cosGamma = Math.Clamp(Vector3.Dot(above, _toSun), -1, 1);
        double gamma = Math.Acos(cosGamma);
        return (_zenithY * Perez(_perezY, theta, gamma) / _normY,
                _zenithX * Perez(_perezX, theta, gamma) / _normX,
                _zenithYy * Perez(_perezYy, theta, gamma) / _normYy);
    }

    /// <summary>xyY → linear Rec.709 (Y in cd/m²).</summary>
    public static Vector3 ToWorking(double luminance, double x, double y)
    {
        double X = x / y * luminance, Z = (1 - x - y) / y * luminance;
        var (r, g, b) = XyzToWorking.Apply(X, luminance, Z);
        return new Vector3((float)Math.Max(0, r), (float)Math.Max(0, g), (float)Math.Max(0, b));
    }

    /// <summary>The sky's radiance in <paramref name="direction"/>, linear Rec.709, cd/m² (above the horizon).</summary>
    public Vector3 Radiance(Vector3 direction)
    {
        var (l, x, y) = SkyXyY(direction);
        return ToWorking(l, x, y);
    }

    /// <summary>
    /// The sky as a <paramref name="width"/> × <paramref name="height"/> map times <paramref name="scale"/>: the sky above
    /// the horizon, and below it the ground, radiance albedo/π × (the sky's illuminance on the horizontal, integrated from
    /// the map's upper half, + <paramref name="sunHorizontalLux"/>, the sun's on the horizontal, in the sky's units before scaling).
    /// </summary>
    public EquirectMap Bake(int width, int height, float scale, double sunHorizontalLux)
    {
        var map = new EquirectMap(width, height);
        int horizonRow = height / 2;
        double skyLux = 0;
        for (int y = 0; y < horizonRow; y++)
        {
            double cosSum = 0;
            for (int x = 0; x < width; x++)
            {
                Vector3 d = map.TexelDirection(x, y);
                Vector3 l = Radiance(d);
                map[x, y] = l * scale;
                cosSum += (0.2126 * l.X + 0.7152 * l.Y + 0.0722 * l.Z) * d.Y;
            }
            skyLux += cosSum * map.TexelSolidAngle(y);
        }
        // The ground is grey in the sky's average colour at the horizon's zenith-ward light (white-balanced to the sky's mean).
        Vector3 groundColour = GroundColour(map, horizonRow, scale);
        double groundNits = GroundAlbedo / Math.PI * (skyLux + Math.Max(0, sunHorizontalLux));
        Vector3 ground = groundColour * (float)(groundNits * scale);
        for (int y = horizonRow; y < height; y++)
        for (int x = 0; x < width; x++)
            map[x, y] = ground;
        return map;
    }

    /// <summary>The mean colour of the sky's upper half with unit luminance (the ground takes the sky's tint).</summary>
    private static Vector3 GroundColour(EquirectMap map, int rows, float scale)
    {
        Vector3 sum = Vector3.Zero;
        for (int y = 0; y < rows; y++)
        for (int x = 0; x < map.Width; x++)
            sum += map[x, y];
        float luminance = 0.2126f * sum.X + 0.7152f * sum.Y + 0.0722f * sum.Z;
        return luminance > 0 && scale > 0 ? sum / luminance : Vector3.One;
    }
}
