using System.Numerics;

namespace Stage.Takes;

/// <summary>One camera's pose and lens for one frame of a take.</summary>
/// <param name="Frame">Frame index within the take, from 0.</param>
/// <param name="CameraIndex">Index of the camera in <see cref="TakeRecorder"/>'s camera list.</param>
/// <param name="PositionM">Stage-space position of the entrance pupil, metres.</param>
/// <param name="Orientation">Stage-space orientation (camera → stage).</param>
/// <param name="FocalLengthMm">Focal length, mm.</param>
/// <param name="FocusDistanceM">Focus distance, m (NaN when unknown).</param>
/// <param name="PoseAgeUs">Age of the pose used: receive → frame submit, microseconds (NaN while the camera has no pose yet).</param>
/// <param name="StateHash">The world's state hash after this frame's steps (0 when there is no world).</param>
/// <param name="WorldStep">The world's step count after this frame's steps (what a replay steps to before comparing hashes; 0 without a world).</param>
/// <param name="HasPose">
/// False when the camera had no pose at all at this frame (no sample ever arrived): the position and orientation are then
/// placeholders, not a camera at the origin, and exports leave the frame out (.chan) or flag it (JSON). A LOST camera holds
/// its last pose and has one.
/// </param>
public readonly record struct TrackFrame(
    long Frame,
    int CameraIndex,
    Vector3 PositionM,
    Quaternion Orientation,
    double FocalLengthMm,
    double FocusDistanceM,
    double PoseAgeUs,
    ulong StateHash,
    long WorldStep = 0,
    bool HasPose = true);

/// <summary>A frame of a take's track as read back, with its camera's id and timecode.</summary>
/// <param name="Camera">Camera id.</param>
/// <param name="Timecode">The frame's timecode as text.</param>
/// <param name="Sample">The recorded values.</param>
public sealed record RecordedFrame(string Camera, string Timecode, TrackFrame Sample);

/// <summary>A world rule changed by command while a take recorded (what a replay applies at the same frame).</summary>
/// <param name="Frame">Take frame whose steps it took effect before.</param>
/// <param name="Name">The rule's name, as <c>/stage/world/rule</c> takes it.</param>
/// <param name="Value">Its new value.</param>
public sealed record RecordedWorldCommand(long Frame, string Name, double Value);
