namespace Stage.Vulkan;

/// <summary>One message of the validation layer (or the loader) delivered through VK_EXT_debug_utils.</summary>
/// <param name="Severity">Warning or error (Stage subscribes to nothing quieter).</param>
/// <param name="Types">General, validation or performance.</param>
/// <param name="Id">The message id name, e.g. a VUID.</param>
/// <param name="Text">The full message.</param>
public sealed record ValidationMessage(DebugUtilsMessageSeverityFlagsEXT Severity, DebugUtilsMessageTypeFlagsEXT Types, string Id, string Text)
{
    /// <inheritdoc/>
    public override string ToString() => $"[{Severity}] {Id}: {Text}";
}

/// <summary>Collects every debug-utils message of an instance. Thread-safe: drivers call back from any thread.</summary>
public sealed class ValidationLog
{
    private readonly List<ValidationMessage> _messages = [];
    private readonly Lock _lock = new();

    /// <summary>A copy of the messages so far.</summary>
    public IReadOnlyList<ValidationMessage> Messages
    {
        get { lock (_lock) return [.. _messages]; }
    }

    /// <summary>Adds a message (called from the messenger callback).</summary>
    internal void Add(ValidationMessage message)
    {
        lock (_lock) _messages.Add(message);
    }

    /// <summary>Removes and returns every message so far.</summary>
    public IReadOnlyList<ValidationMessage> Drain()
    {
        lock (_lock)
        {
            var copy = _messages.ToList();
            _messages.Clear();
            return copy;
        }
    }
}
