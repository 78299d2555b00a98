using System.Globalization;

namespace Stage.Core.Configuration;

/// <summary>An LED panel (cabinet) type: its physical size and its pixel resolution. Pitch is derived.</summary>
/// <param name="WidthM">Panel width in metres.</param>
/// <param name="HeightM">Panel height in metres.</param>
/// <param name="PixelsX">Pixels across one panel.</param>
/// <param name="PixelsY">Pixels down one panel.</param>
public sealed record PanelSpec(double WidthM, double HeightM, int PixelsX, int PixelsY)
{
    /// <summary>Horizontal pixel pitch in millimetres.</summary>
    public double PitchXMm => WidthM * 1000.0 / PixelsX;

    /// <summary>Vertical pixel pitch in millimetres.</summary>
    public double PitchYMm => HeightM * 1000.0 / PixelsY;

    /// <summary>"0.500 × 0.500 m, 192 × 192 px, 2.60 mm pitch".</summary>
    public override string ToString()
    {
        string pitch = Math.Abs(PitchXMm - PitchYMm) < 1e-6
            ? $"{PitchXMm:0.00} mm pitch"
            : $"{PitchXMm:0.00} × {PitchYMm:0.00} mm pitch";
        return string.Create(CultureInfo.InvariantCulture, $"{WidthM:0.000} × {HeightM:0.000} m, {PixelsX} × {PixelsY} px, {pitch}");
    }
}
