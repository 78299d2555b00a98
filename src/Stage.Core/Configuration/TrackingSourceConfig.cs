namespace Stage.Core.Configuration;

/// <summary>A tracking input: where camera poses arrive from, and its fixed delay.</summary>
public abstract record TrackingSourceConfig
{
    /// <summary>Unique source id, referenced by cameras.</summary>
    public required string Id { get; init; }

    /// <summary>UDP port the source listens on.</summary>
    public required int Port { get; init; }

    /// <summary>
    /// Delay offset in milliseconds added to this source's receive times: positive when the tracker's data
    /// arrives early relative to the picture, negative to predict ahead.
    /// </summary>
    public double DelayMs { get; init; }

    /// <summary>Protocol name as written in the configuration.</summary>
    public abstract string Kind { get; }

    /// <summary>Local address the socket binds (or the multicast group for OpenTrackIO), for listings and port checks.</summary>
    public abstract string Endpoint { get; }
}

/// <summary>Positions in OSC arguments: which unit they are in.</summary>
public enum LengthUnit
{
    /// <summary>Metres.</summary>
    Metres,
    /// <summary>Centimetres.</summary>
    Centimetres,
    /// <summary>Millimetres.</summary>
    Millimetres,
}

/// <summary>Angles in OSC arguments: degrees or radians.</summary>
public enum AngleUnit
{
    /// <summary>Degrees.</summary>
    Degrees,
    /// <summary>Radians.</summary>
    Radians,
}

/// <summary>How an OSC source sends orientation.</summary>
public enum RotationForm
{
    /// <summary>Three angles in <see cref="OscSourceConfig.EulerOrder"/>.</summary>
    Euler,
    /// <summary>A quaternion x, y, z, w.</summary>
    Quaternion,
}

/// <summary>Which axes an OSC source's numbers use.</summary>
public enum AxisConvention
{
    /// <summary>Stage space: +Y up, −Z forward; angles as pan/tilt/roll.</summary>
    Stage,
    /// <summary>Z-up, +Y forward (as FreeD and OpenTrackIO); converted in one place.</summary>
    ZUp,
}

/// <summary>Camera poses over OSC, from a tracker, a game engine or a control surface.</summary>
public sealed record OscSourceConfig : TrackingSourceConfig
{
    /// <summary>Local address to bind ("0.0.0.0" for every interface).</summary>
    public required string BindAddress { get; init; }

    /// <summary>
    /// Address patterns by role: "pose" (x y z + rotation in one message), or "position" and "rotation"
    /// separately; optional "focalLength", "focus", "iris". "{camera}" stands for a camera's tracked id.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Addresses { get; init; }

    /// <summary>Euler angles or quaternion.</summary>
    public required RotationForm Rotation { get; init; }

    /// <summary>Order of the three Euler angles in the message, e.g. "pan,tilt,roll".</summary>
    public required IReadOnlyList<string> EulerOrder { get; init; }

    /// <summary>Unit of positions.</summary>
    public required LengthUnit PositionUnit { get; init; }

    /// <summary>Unit of Euler angles.</summary>
    public required AngleUnit AngleUnit { get; init; }

    /// <summary>Axis convention of the numbers.</summary>
    public required AxisConvention Axes { get; init; }

    /// <inheritdoc/>
    public override string Kind => "osc";

    /// <inheritdoc/>
    public override string Endpoint => BindAddress;
}

/// <summary>One point of a lens encoder calibration: raw encoder value → physical value.</summary>
/// <param name="Encoder">Raw 24-bit encoder value.</param>
/// <param name="Value">Focal length in mm, or focus distance in m.</param>
public readonly record struct CalibrationPoint(int Encoder, double Value);

/// <summary>FreeD D1 over UDP (29-byte packets from pan bars, cranes and optical trackers).</summary>
public sealed record FreeDSourceConfig : TrackingSourceConfig
{
    /// <summary>Local address to bind.</summary>
    public required string BindAddress { get; init; }

    /// <summary>The FreeD camera id (byte 1 of each packet, 0–255) this source accepts; packets of other ids are counted and dropped.</summary>
    public required int CameraId { get; init; }

    /// <summary>Zoom encoder → focal length (mm) table, ascending encoder values; empty when the lens is fixed.</summary>
    public required IReadOnlyList<CalibrationPoint> ZoomToFocalLengthMm { get; init; }

    /// <summary>Focus encoder → focus distance (m) table, ascending encoder values; may be empty.</summary>
    public required IReadOnlyList<CalibrationPoint> FocusToDistanceM { get; init; }

    /// <inheritdoc/>
    public override string Kind => "freed";

    /// <inheritdoc/>
    public override string Endpoint => BindAddress;
}

/// <summary>OpenTrackIO (SMPTE RIS-OSVP) JSON samples over UDP multicast.</summary>
public sealed record OpenTrackIOSourceConfig : TrackingSourceConfig
{
    /// <summary>Multicast group, by default 235.135.1.N for source number N.</summary>
    public required string MulticastGroup { get; init; }

    /// <summary>
    /// The local IPv4 address of the network card to join the group on (the stage network's), or null to let the
    /// operating system choose by its routes.
    /// </summary>
    public string? InterfaceAddress { get; init; }

    /// <inheritdoc/>
    public override string Kind => "opentrackio";

    /// <inheritdoc/>
    public override string Endpoint => MulticastGroup;
}
