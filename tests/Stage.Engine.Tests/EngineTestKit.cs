using Stage.Engine.Control;
using Stage.Engine.Timing;
using Stage.Osc;

namespace Stage.Engine.Tests;

/// <summary>A clock that jumps to whatever is waited for, so frames run as fast as the test can go.</summary>
internal sealed class JumpClock : IMonotonicClock
{
    public long Frequency => System.Diagnostics.Stopwatch.Frequency;
    public long NowTicks { get; set; } = 10 * System.Diagnostics.Stopwatch.Frequency;
    public void WaitUntil(long ticks, CancellationToken cancellation) => NowTicks = Math.Max(NowTicks, ticks);
}

/// <summary>Sends control commands to an engine the way a control surface would.</summary>
internal static class EngineCommands
{
    /// <summary>
    /// Sends a command from another thread and waits until it is queued for the engine: queued before a
    /// run, it runs on the run's first frame, in queue order.
    /// </summary>
    public static Task<ControlReply> Queue(FrameLoop engine, string address, params OscValue[] args)
    {
        int before = engine.Queue.Count;
        // Its own thread: queued commands block until the run starts, and blocked pool threads make the pool slow to grow under load.
        Task<ControlReply> reply = Task.Factory.StartNew(() => engine.Commands.Execute(new OscMessageData(address, args), "test").Single().Reply,
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (engine.Queue.Count == before && !reply.IsCompleted) Thread.Sleep(1);
        return reply;
    }
}
