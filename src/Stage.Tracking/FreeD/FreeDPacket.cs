namespace Stage.Tracking.FreeD;

/// <summary>
/// A FreeD type D1 message (camera position/orientation data) with its fields as the wire carries them:
/// angles in 1/32768 degree and positions in 1/64 mm (24-bit two's complement), zoom and focus as raw
/// 24-bit unsigned encoder counts, 16 user-defined bits. The protocol's frame is Z-up with Y forward;
/// the source adapter turns it into stage space through <c>ZUpConversion</c>.
/// </summary>
public readonly record struct FreeDPacket
{
    /// <summary>Smallest value of a 24-bit signed field.</summary>
    public const int MinSigned24 = -(1 << 23);

    /// <summary>Largest value of a 24-bit signed field.</summary>
    public const int MaxSigned24 = (1 << 23) - 1;

    /// <summary>Largest value of a 24-bit unsigned field.</summary>
    public const int MaxUnsigned24 = (1 << 24) - 1;

    /// <summary>Angle units per degree (1/32768 degree).</summary>
    public const double UnitsPerDegree = 32768.0;

    /// <summary>Position units per millimetre (1/64 mm).</summary>
    public const double UnitsPerMillimetre = 64.0;

    /// <summary>Camera id, byte 1 of the message.</summary>
    public byte CameraId { get; init; }

    /// <summary>Pan in 1/32768 degree, positive clockwise seen from above.</summary>
    public int PanRaw { get; init; }

    /// <summary>Tilt in 1/32768 degree, positive up.</summary>
    public int TiltRaw { get; init; }

    /// <summary>Roll in 1/32768 degree, positive clockwise seen from behind the camera.</summary>
    public int RollRaw { get; init; }

    /// <summary>X position in 1/64 mm.</summary>
    public int XRaw { get; init; }

    /// <summary>Y position (forward) in 1/64 mm.</summary>
    public int YRaw { get; init; }

    /// <summary>Height (Z position, up) in 1/64 mm.</summary>
    public int ZRaw { get; init; }

    /// <summary>Zoom encoder, raw 24-bit unsigned.</summary>
    public int Zoom { get; init; }

    /// <summary>Focus encoder, raw 24-bit unsigned.</summary>
    public int Focus { get; init; }

    /// <summary>The 16 spare / user-defined bits.</summary>
    public ushort UserBits { get; init; }

    /// <summary>Pan in degrees.</summary>
    public double PanDeg => PanRaw / UnitsPerDegree;

    /// <summary>Tilt in degrees.</summary>
    public double TiltDeg => TiltRaw / UnitsPerDegree;

    /// <summary>Roll in degrees.</summary>
    public double RollDeg => RollRaw / UnitsPerDegree;

    /// <summary>X in millimetres.</summary>
    public double XMm => XRaw / UnitsPerMillimetre;

    /// <summary>Y in millimetres.</summary>
    public double YMm => YRaw / UnitsPerMillimetre;

    /// <summary>Height in millimetres.</summary>
    public double ZMm => ZRaw / UnitsPerMillimetre;

    /// <summary>
    /// A packet from physical values, each rounded to the nearest wire unit. Angles must lie within
    /// ±255.99° and positions within ±131 m (the 24-bit ranges), zoom and focus within 0 … 16,777,215.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value does not fit its 24-bit field.</exception>
    public static FreeDPacket FromValues(byte cameraId, double panDeg, double tiltDeg, double rollDeg,
        double xMm, double yMm, double zMm, int zoom, int focus, ushort userBits = 0) => new()
    {
        CameraId = cameraId,
        PanRaw = ToSigned24(panDeg * UnitsPerDegree, nameof(panDeg)),
        TiltRaw = ToSigned24(tiltDeg * UnitsPerDegree, nameof(tiltDeg)),
        RollRaw = ToSigned24(rollDeg * UnitsPerDegree, nameof(rollDeg)),
        XRaw = ToSigned24(xMm * UnitsPerMillimetre, nameof(xMm)),
        YRaw = ToSigned24(yMm * UnitsPerMillimetre, nameof(yMm)),
        ZRaw = ToSigned24(zMm * UnitsPerMillimetre, nameof(zMm)),
        Zoom = zoom is >= 0 and <= MaxUnsigned24 ? zoom : throw new ArgumentOutOfRangeException(nameof(zoom), zoom, "zoom must fit 24 unsigned bits"),
        Focus = focus is >= 0 and <= MaxUnsigned24 ? focus : throw new ArgumentOutOfRangeException(nameof(focus), focus, "focus must fit 24 unsigned bits"),
        UserBits = userBits,
    };

    private static int ToSigned24(double units, string name)
    {
        double rounded = Math.Round(units, MidpointRounding.AwayFromZero);
        if (!(rounded >= MinSigned24 && rounded <= MaxSigned24))
            throw new ArgumentOutOfRangeException(name, units, "value does not fit the 24-bit signed FreeD field");
        return (int)rounded;
    }
}
