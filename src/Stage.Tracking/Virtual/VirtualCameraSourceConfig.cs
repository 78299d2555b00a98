using System.Numerics;

using Stage.Core.Configuration;

namespace Stage.Tracking.Virtual;

/// <summary>
/// A virtual camera: a tracking source flown by the operator with keyboard and mouse or a gamepad, for
/// rehearsal and previs without a tracking system. Cameras bound to it receive poses in their pose
/// buffers exactly as from a tracker. It listens on no port (<see cref="TrackingSourceConfig.Port"/> is 0).
/// </summary>
public sealed record VirtualCameraSourceConfig : TrackingSourceConfig
{
    /// <summary>Where the camera starts (and returns to on Home), metres in stage space.</summary>
    public Vector3 StartPositionM { get; init; } = new(0, 1.7f, 4);

    /// <summary>Pan at the start, degrees (positive to the right).</summary>
    public double StartPanDeg { get; init; }

    /// <summary>Tilt at the start, degrees (positive up).</summary>
    public double StartTiltDeg { get; init; }

    /// <summary>Travel speed with a key held or a stick fully over, metres per second.</summary>
    public double SpeedMps { get; init; } = 1.5;

    /// <summary>Pan/tilt speed with an arrow key held or a stick fully over, degrees per second.</summary>
    public double TurnDegPerS { get; init; } = 45;

    /// <summary>Pan/tilt per pixel of mouse travel while the right button is held, degrees.</summary>
    public double MouseDegPerPx { get; init; } = 0.15;

    /// <inheritdoc/>
    public override string Kind => "virtual";

    /// <inheritdoc/>
    public override string Endpoint => "keyboard/mouse/gamepad";

    /// <inheritdoc/>
    public override bool ListensOnPort => false;

    /// <inheritdoc/>
    public override bool FliesWithKeys => true;
}
