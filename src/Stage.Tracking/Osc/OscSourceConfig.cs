using Stage.Core.Configuration;

namespace Stage.Tracking.Osc;

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
