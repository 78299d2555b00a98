using Stage.Engine;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Hosting.World;
using Stage.Takes;
using Stage.World;
using Stage.Core.Frames;

namespace Stage.Hosting.Replay;

/// <summary>A frame whose replayed world differs from the recording.</summary>
/// <param name="Frame">Take frame.</param>
/// <param name="Timecode">Its timecode.</param>
/// <param name="RecordedHash">The state hash the take recorded.</param>
/// <param name="ReplayedHash">The state hash the replay computed.</param>
public sealed record ReplayMismatch(long Frame, string Timecode, string RecordedHash, string ReplayedHash);

/// <summary>What a replay did.</summary>
/// <param name="Frames">Frames rendered.</param>
/// <param name="HashesVerified">Frames whose world state hash matched the recording.</param>
/// <param name="Mismatches">Frames whose hash did not match (every one).</param>
/// <param name="HasWorld">Whether the take was recorded with a world.</param>
/// <param name="RenderFaults">Frames the renderer or output failed on (the replay goes on).</param>
public sealed record ReplayResult(long Frames, long HashesVerified, IReadOnlyList<ReplayMismatch> Mismatches, bool HasWorld, long RenderFaults)
{
    /// <summary>True when every frame rendered and every hash matched.</summary>
    public bool Verified => Mismatches.Count == 0 && RenderFaults == 0;
}

/// <summary>
/// Re-renders a take offline, frame for frame: the world is restored from the take's start
/// snapshot, each frame's recorded rule changes are made again before its steps, the world is
/// stepped to the step the frame recorded and its state hash is compared with the recorded one; the
/// cameras are put where the track says, with the recorded lens, and every output is rendered.
/// </summary>
public static class TakeReplay
{
    /// <summary>Restores the world a take started from, or null for a take recorded without a world.</summary>
    public static StageWorldHost? RestoreStartWorld(TakeLog log, long takeId)
    {
        ArgumentNullException.ThrowIfNull(log);
        byte[] snapshot = log.StartSnapshot(takeId);
        if (snapshot.Length == 0) return null;
        WorldImage image = WorldCodec.DecodeSnapshot(snapshot, $"{log.Path} take {takeId}");
        return new StageWorldHost(image.Restore());
    }

    /// <summary>
    /// Replays take <paramref name="takeId"/> of <paramref name="log"/> on <paramref name="stage"/>,
    /// driving <paramref name="world"/> (from <see cref="RestoreStartWorld"/>; null without a world),
    /// rendering with <paramref name="renderer"/> into <paramref name="output"/>.
    /// <paramref name="progress"/> gets a line about once a second of take time.
    /// </summary>
    public static ReplayResult Run(TakeLog log, long takeId, StageConfig stage, StageWorldHost? world, IFrameRenderer renderer, IFrameOutput output,
        Action<string> progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(progress);
        TakeInfo take = log.Take(takeId);
        IReadOnlyList<RecordedFrame> track = log.Track(takeId);
        IReadOnlyList<RecordedWorldCommand> commands = log.WorldCommands(takeId);
        var cameraIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < stage.Cameras.Count; i++) cameraIndex[stage.Cameras[i].Id] = i;
        foreach (RecordedFrame frame in track)
        {
            if (!cameraIndex.ContainsKey(frame.Camera))
                throw new ReplayException($"take {take.Scene}/{take.TakeNumber} tracks camera '{frame.Camera}', which the stage configuration {stage.SourcePath} does not have");
        }

        var views = new CameraView[stage.Cameras.Count];
        for (int i = 0; i < views.Length; i++) views[i] = new CameraView(stage.Cameras[i], Pose.Identity, stage.Cameras[i].FocalLengthMm, false);
        var frameSink = new ReplaySink(views, output, progress);
        var mismatches = new List<ReplayMismatch>();
        long frames = 0, verified = 0, faults = 0;
        int nextCommand = 0;
        int progressEvery = Math.Max(1, take.FrameRate.TimecodeBase);
        int row = 0;
        while (row < track.Count && !cancellation.IsCancellationRequested)
        {
            long frame = track[row].Sample.Frame;
            ulong recordedHash = track[row].Sample.StateHash;
            long recordedStep = track[row].Sample.WorldStep;
            for (; row < track.Count && track[row].Sample.Frame == frame; row++)
            {
                TrackFrame sample = track[row].Sample;
                int index = cameraIndex[track[row].Camera];
                views[index] = views[index] with { TrackedPose = new Pose(sample.PositionM, sample.Orientation), FocalLengthMm = sample.FocalLengthMm };
            }
            Timecode timecode = take.Start + frame;
            if (world is not null)
            {
                for (; nextCommand < commands.Count && commands[nextCommand].Frame <= frame; nextCommand++)
                {
                    RecordedWorldCommand command = commands[nextCommand];
                    if (!world.TrySetRule(command.Name, command.Value, out string message))
                        throw new ReplayException($"take frame {command.Frame}: the recorded rule change {command.Name} = {command.Value} is refused now: {message}");
                }
                if (recordedStep < world.WorldStep)
                    throw new ReplayException($"take frame {frame} records world step {recordedStep}, before the replayed world's step {world.WorldStep} (a take logged before world steps were recorded cannot be verified)");
                world.StepWorldTo(recordedStep);
                ulong replayedHash = world.StateHash;
                if (replayedHash == recordedHash) verified++;
                else mismatches.Add(new ReplayMismatch(frame, timecode.ToString(), TakeLog.HashText(recordedHash), TakeLog.HashText(replayedHash)));
            }
            try
            {
                var tick = new FrameTick(frame, timecode, 0, 0, 0);
                output.BeginFrame(tick);
                renderer.Render(new FrameRequest(tick, output.WantsPixels(tick)), frameSink, frameSink);
                renderer.Collect(frameSink, wait: false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                faults++;
                progress($"frame {frame} ({timecode}): render fault: {e.Message}");
            }
            frames++;
            if (frames % progressEvery == 0 || row == track.Count)
                progress($"replay {take.Scene}/{take.TakeNumber}: frame {frame + 1}/{take.FrameCount} {timecode} ({frames} recorded frames so far)" +
                         (world is null ? "" : $" | hashes {verified} match, {mismatches.Count} differ"));
        }
        try
        {
            renderer.Collect(frameSink, wait: true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            faults++;
            progress($"the last frames in flight: render fault: {e.Message}");
        }
        return new ReplayResult(frames, verified, mismatches, world is not null, faults + frameSink.OutputFaults);
    }

    /// <summary>The replay's cameras for the renderer's latch, and the output for the pixels that come back.</summary>
    private sealed class ReplaySink(CameraView[] views, IFrameOutput output, Action<string> progress) : ICameraLatch, IFrameSink
    {
        public long OutputFaults { get; private set; }

        public ReadOnlySpan<CameraView> Latch() => views;

        public void Submitted(double submitCallMs)
        {
        }

        public void Pixels(FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
        {
            try
            {
                output.Present(tick, canvases);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                OutputFaults++;
                progress($"frame {tick.Frame} ({tick.Timecode}): output fault: {e.Message}");
            }
        }

        public void Completed(in FrameCompletionTimes times)
        {
        }
    }
}

/// <summary>A take cannot be replayed (its stage or world no longer fits it).</summary>
public sealed class ReplayException(string message) : Exception(message);
