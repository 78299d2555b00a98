using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Stage.Core.Frames;
using Stage.Engine.Cluster;
using Stage.Engine.Timing;

namespace Stage.Engine;

// The frame loop's cluster hooks (docs/cluster.md), kept apart from the loop itself. The primary latches its
// cameras where a single machine does (the renderer's latch, right before the submission) and publishes the frame
// input then; a render node takes its frames, poses and world commands from the inputs it receives. Every node
// reports its world's hash after the step, says "ready N" once its frame is submitted and waits at the barrier
// there — between submit and present — so that the nodes present together; then it says when it presented.
public sealed partial class FrameLoop
{
    // Per frame: the barrier was passed (or skipped by a fault) for the frame being rendered.
    private bool _readied;

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

    /// <summary>Render node, after the world step: its hash goes to the primary at once (the primary reports its own at its latch).</summary>
    private void ClusterWorldAdvanced()
    {
        _readied = false;
        if (!_link!.Follows) return;
        try
        {
            _link.WorldAdvanced(_received!, _world);
        }
        catch (Exception e)
        {
            // The cluster's faults never stop this node's frames.
            _log.LogError(e, "Cluster fault at frame {Frame}; the frame goes on", _received!.Frame);
        }
    }

    /// <summary>
    /// The renderer's latch in a cluster. Primary: latch every camera now (as late as on one machine), fill the frame
    /// input, publish it and record its own hash. Render node: the poses, lens and toggles of the input received.
    /// </summary>
    private void ClusterLatch()
    {
        _latched = true;
        if (_link!.Follows)
        {
            FrameInput received = _received!;
            _records[_latching.Frame & (FrameRecords - 1)].LatchStamp = Stopwatch.GetTimestamp();
            for (int i = 0; i < _views.Length; i++)
            {
                FrameInputCamera camera = received.Cameras[i];
                (_chromaKey[i], _markers[i]) = (camera.ChromaKey, camera.Markers);
                _views[i] = _views[i] with { TrackedPose = camera.Pose, FocalLengthMm = camera.FocalLengthMm, ChromaKey = camera.ChromaKey, Markers = camera.Markers };
            }
            return;
        }
        LatchCameras();
        FrameInput input = _input!;
        input.Frame = _latching.Frame;
        input.Timecode = _latching.Timecode;
        input.WorldStep = _world is null ? 0 : WorldStepFor(_latching.Frame);
        input.EndOfRun = false;
        for (int i = 0; i < _views.Length; i++)
            input.Cameras[i] = new FrameInputCamera(_views[i].TrackedPose, _views[i].FocalLengthMm, _trackFrames[i].HasPose, _chromaKey[i], _markers[i]);
        input.Commands.Clear();
        input.Commands.AddRange(_pendingCommands);
        _pendingCommands.Clear();
        try
        {
            _link.Publish(input);
            _link.WorldAdvanced(input, _world);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Cluster fault at frame {Frame}; the frame goes on", _latching.Frame);
        }
    }

    /// <summary>The frame is submitted: "ready N", then wait until every node in the barrier is (or the timeout drops the late ones); the present follows.</summary>
    private void ClusterReady()
    {
        if (_readied) return;
        _readied = true;
        try
        {
            _link!.Ready(_latching.Frame);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Cluster fault at the barrier of frame {Frame}; the frame goes on", _latching.Frame);
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
