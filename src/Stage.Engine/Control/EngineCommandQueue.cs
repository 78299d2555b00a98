namespace Stage.Engine.Control;

/// <summary>
/// Hands control commands from the receive threads to the engine thread, which runs them between
/// frames (so a world reset or a take start happens at a frame boundary, never mid-step), and hands
/// the reply back. A command the engine does not take up in time gets an error reply, so a control
/// surface is never left waiting.
/// </summary>
public sealed class EngineCommandQueue
{
    private readonly Queue<Pending> _pending = new();
    private readonly Lock _gate = new();

    /// <summary>Commands waiting for the engine thread.</summary>
    public int Count
    {
        get { lock (_gate) return _pending.Count; }
    }

    /// <summary>
    /// Queues <paramref name="action"/> for the engine thread and waits for its reply, at most
    /// <paramref name="timeout"/>. Called from a receive thread.
    /// </summary>
    public ControlReply Invoke(Func<ControlReply> action, TimeSpan timeout)
    {
        var pending = new Pending(action);
        lock (_gate) _pending.Enqueue(pending);
        if (pending.Done.Wait(timeout)) return pending.Reply;
        // Too late: mark it so the engine skips it, unless it is running it right now.
        lock (pending)
        {
            if (!pending.Started)
            {
                pending.Abandoned = true;
                return ControlReply.Failure($"the engine did not take the command up within {timeout.TotalMilliseconds:0} ms");
            }
        }
        pending.Done.Wait();
        return pending.Reply;
    }

    /// <summary>Runs every queued command, in arrival order. Called by the engine thread between frames.</summary>
    public int Drain()
    {
        int ran = 0;
        while (true)
        {
            Pending? next;
            lock (_gate)
            {
                if (!_pending.TryDequeue(out next)) return ran;
            }
            lock (next)
            {
                if (next.Abandoned) continue;
                next.Started = true;
            }
            try
            {
                next.Reply = next.Action();
            }
            catch (Exception e)
            {
                next.Reply = ControlReply.Failure(e.Message);
            }
            next.Done.Set();
            ran++;
        }
    }

    private sealed class Pending(Func<ControlReply> action)
    {
        public Func<ControlReply> Action { get; } = action;
        public ManualResetEventSlim Done { get; } = new();
        public ControlReply Reply { get; set; }
        public bool Started { get; set; }
        public bool Abandoned { get; set; }
    }
}
