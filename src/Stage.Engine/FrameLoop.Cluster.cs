using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Stage.Core.Frames;
using Stage.Engine.Cluster;
using Stage.Engine.Timing;

namespace Stage.Engine;

// The frame loop's cluster hooks (docs/cluster.md), kept apart from the loop itself: the primary latches its
// cameras before rendering and publishes the frame input; a render node takes its frames, poses and world commands
// from the inputs it receives. Both report the world's hash, wait at the barrier and say when they presented.
public sealed partial class FrameLoop
{
    /// <summary>Render node: the next frame comes from the primary's input, not the clock.</summary>
    private bool TryFollow(CancellationToken cancellation, out FrameTick tick)
    {
        FrameInput? input = _link!.Receive(cancellation);
        if (input is null)
        {
            tick = default;
            return false;
        }
        _received = input;
        long now = _clock.NowTicks;
        long period = (long)(_clock.Frequency * (double)_config.FrameRate.Denominator / _config.FrameRate.Numerator);
        tick = new FrameTick(input.Frame, input.Timecode, now, now, now + period);
        return true;
    }

    /// <summary>Render node: the primary's world commands of this frame, before its step, in its order.</summary>
    private void ApplyReceivedCommands()
    {
        if (_world is null) return;
        foreach (WorldRuleCommand command in _received!.Commands)
            if (!_world.TrySetRule(command.Name, command.Value, out string message))
                _log.LogError("Cluster: the world command {Rule} = {Value} of frame {Frame} was refused here: {Reason}", command.Name, command.Value, _received.Frame, message);
    }

    /// <summary>Latch (primary) or take (node) the frame's cameras, publish the input, report the world, wait at the barrier.</summary>
    private void ClusterExchange(in FrameTick tick)
    {
        FrameInput input;
        if (_link!.Follows)
        {
            input = _received!;
            _latched = true;
            _records[tick.Frame & (FrameRecords - 1)].LatchStamp = Stopwatch.GetTimestamp();
            for (int i = 0; i < _views.Length; i++)
            {
                FrameInputCamera camera = input.Cameras[i];
                (_chromaKey[i], _markers[i]) = (camera.ChromaKey, camera.Markers);
                _views[i] = _views[i] with { TrackedPose = camera.Pose, FocalLengthMm = camera.FocalLengthMm, ChromaKey = camera.ChromaKey, Markers = camera.Markers };
            }
        }
        else
        {
            LatchCameras();
            input = _input!;
            input.Frame = tick.Frame;
            input.Timecode = tick.Timecode;
            input.WorldStep = _world is null ? 0 : WorldStepFor(tick.Frame);
            input.EndOfRun = false;
            for (int i = 0; i < _views.Length; i++)
                input.Cameras[i] = new FrameInputCamera(_views[i].TrackedPose, _views[i].FocalLengthMm, _trackFrames[i].HasPose, _chromaKey[i], _markers[i]);
            input.Commands.Clear();
            input.Commands.AddRange(_pendingCommands);
            _pendingCommands.Clear();
        }
        try
        {
            if (!_link.Follows) _link.Publish(input);
            _link.WorldAdvanced(input, _world);
            _link.Ready(tick.Frame);
        }
        catch (Exception e)
        {
            // The cluster's faults never stop this node's frames.
            _log.LogError(e, "Cluster fault at frame {Frame}; the frame goes on", tick.Frame);
        }
    }

    private void ClusterPresented(long frame)
    {
        try
        {
            _link!.Presented(frame, Stopwatch.GetTimestamp());
        }
        catch (Exception e)
        {
            _log.LogError(e, "Cluster fault after frame {Frame}; the frames go on", frame);
        }
    }

    /// <summary>Primary: tells the nodes the run is over (an input flagged end of run, after the last frame).</summary>
    private void PublishEndOfRun()
    {
        FrameInput input = _input!;
        input.Frame = _current.Frame + 1;
        input.Timecode = _current.Timecode + 1;
        input.WorldStep = _world?.StepCount ?? 0;
        input.Commands.Clear();
        input.EndOfRun = true;
        try
        {
            _link!.Publish(input);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Cluster: the end of the run could not be published");
        }
    }
}
