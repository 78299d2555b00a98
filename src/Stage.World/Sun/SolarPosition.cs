namespace Stage.World;

/// <summary>
/// The sun's place in the sky seen from a point on Earth: NOAA's solar position algorithm (the
/// NOAA Global Monitoring Laboratory's Solar Calculator and its spreadsheet, after Meeus,
/// "Astronomical Algorithms"): about 0.01° from the true position for dates 1800–2100, with NOAA's
/// approximation of atmospheric refraction added to the elevation. A pure function of the instant
/// and the place: the world calls it with its own simulated clock, never the wall clock.
/// </summary>
public static class SolarPosition
{
    /// <summary>The Julian day of <see cref="DateTime"/> tick 0 (0001-01-01 00:00 UTC, proleptic Gregorian).</summary>
    private const double JulianDayAtTickZero = 1721425.5;

    /// <summary>The Julian day (UTC) of an instant given as <see cref="DateTime"/> ticks (UTC).</summary>
    public static double JulianDay(long utcTicks) => JulianDayAtTickZero + utcTicks / (double)TimeSpan.TicksPerDay;

    /// <summary>
    /// The sun's azimuth (degrees clockwise from true north, 0 to 360) and apparent elevation
    /// (degrees above the horizon, refraction included) at <paramref name="utcTicks"/> seen from
    /// <paramref name="latitudeDeg"/> (north positive) and <paramref name="longitudeDeg"/> (east positive).
    /// </summary>
    public static (double AzimuthDeg, double ElevationDeg) Compute(long utcTicks, double latitudeDeg, double longitudeDeg)
    {
        double jd = JulianDay(utcTicks);
        double minutesUtc = (utcTicks % TimeSpan.TicksPerDay) / (double)TimeSpan.TicksPerMinute;
        (double declinationDeg, double equationOfTimeMin) = Declination(jd);
        double trueSolarTimeMin = Mod(minutesUtc + equationOfTimeMin + 4 * longitudeDeg, 1440);
        double hourAngleDeg = trueSolarTimeMin / 4 < 0 ? trueSolarTimeMin / 4 + 180 : trueSolarTimeMin / 4 - 180;
        double lat = Rad(latitudeDeg), decl = Rad(declinationDeg);
        double cosZenith = Math.Clamp(Math.Sin(lat) * Math.Sin(decl) + Math.Cos(lat) * Math.Cos(decl) * Math.Cos(Rad(hourAngleDeg)), -1, 1);
        double zenithDeg = Deg(Math.Acos(cosZenith));
        double elevationDeg = 90 - zenithDeg;
        double azimuthDeg;
        double denominator = Math.Cos(lat) * Math.Sin(Rad(zenithDeg));
        if (Math.Abs(denominator) < 1e-12)
        {
            // At a pole or with the sun at the zenith the azimuth is undefined: north (or south at the south pole).
            azimuthDeg = latitudeDeg > 0 ? 180 : 0;
        }
        else
        {
            double c = Math.Clamp((Math.Sin(lat) * cosZenith - Math.Sin(decl)) / denominator, -1, 1);
            azimuthDeg = hourAngleDeg > 0 ? Mod(Deg(Math.Acos(c)) + 180, 360) : Mod(540 - Deg(Math.Acos(c)), 360);
        }
        return (azimuthDeg, elevationDeg + RefractionDeg(elevationDeg));
    }

    /// <summary>The sun's declination (degrees) and the equation of time (minutes) on Julian day <paramref name="jd"/>.</summary>
    public static (double DeclinationDeg, double EquationOfTimeMin) Declination(double jd)
    {
        double t = (jd - 2451545) / 36525; // Julian centuries since J2000.0
        double meanLongitudeDeg = Mod(280.46646 + t * (36000.76983 + t * 0.0003032), 360);
        double meanAnomalyDeg = 357.52911 + t * (35999.05029 - 0.0001537 * t);
        double eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
        double m = Rad(meanAnomalyDeg);
        double centreDeg = Math.Sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t)) + Math.Sin(2 * m) * (0.019993 - 0.000101 * t) + Math.Sin(3 * m) * 0.000289;
        double trueLongitudeDeg = meanLongitudeDeg + centreDeg;
        double omega = Rad(125.04 - 1934.136 * t);
        double apparentLongitudeDeg = trueLongitudeDeg - 0.00569 - 0.00478 * Math.Sin(omega);
        double meanObliquityDeg = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60;
        double obliquityDeg = meanObliquityDeg + 0.00256 * Math.Cos(omega);
        double declinationDeg = Deg(Math.Asin(Math.Sin(Rad(obliquityDeg)) * Math.Sin(Rad(apparentLongitudeDeg))));
        double y = Math.Tan(Rad(obliquityDeg) / 2);
        y *= y;
        double l0 = Rad(meanLongitudeDeg);
        double equationOfTimeMin = 4 * Deg(y * Math.Sin(2 * l0) - 2 * eccentricity * Math.Sin(m) + 4 * eccentricity * y * Math.Sin(m) * Math.Cos(2 * l0)
            - 0.5 * y * y * Math.Sin(4 * l0) - 1.25 * eccentricity * eccentricity * Math.Sin(2 * m));
        return (declinationDeg, equationOfTimeMin);
    }

    /// <summary>NOAA's approximate atmospheric refraction (degrees) at a true elevation.</summary>
    private static double RefractionDeg(double elevationDeg)
    {
        if (elevationDeg > 85) return 0;
        double te = Math.Tan(Rad(elevationDeg));
        double arcSeconds = elevationDeg > 5 ? 58.1 / te - 0.07 / (te * te * te) + 0.000086 / Math.Pow(te, 5)
            : elevationDeg > -0.575 ? 1735 + elevationDeg * (-518.2 + elevationDeg * (103.4 + elevationDeg * (-12.79 + elevationDeg * 0.711)))
            : -20.772 / te;
        return arcSeconds / 3600;
    }

    private static double Rad(double deg) => deg * (Math.PI / 180);

    private static double Deg(double rad) => rad * (180 / Math.PI);

    private static double Mod(double x, double m) => x - m * Math.Floor(x / m);
}
