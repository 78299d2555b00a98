using Microsoft.Extensions.Logging;

namespace Stage.Hosting.Operator;

/// <summary>One warning or error of the log, as the operator page lists it.</summary>
/// <param name="TimeLocal">When it was logged (local time).</param>
/// <param name="Level">Warning, Error or Critical.</param>
/// <param name="Category">The logger's category ("Stage.Run", "Stage.Control" …).</param>
/// <param name="Message">The message (with the exception's message, when there is one).</param>
public sealed record LoggedWarning(DateTime TimeLocal, LogLevel Level, string Category, string Message);

/// <summary>
/// A log provider that keeps the last warnings and errors of every part of Stage, for the operator page's
/// "recent warnings". Added to the run's logger factory; the ring is small and fixed, so a noisy fault never
/// grows memory.
/// </summary>
public sealed class RecentWarnings : ILoggerProvider
{
    private readonly LoggedWarning[] _ring;
    private readonly Lock _gate = new();
    private long _count;

    /// <summary>Keeps the last <paramref name="capacity"/> warnings.</summary>
    public RecentWarnings(int capacity = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new LoggedWarning[capacity];
    }

    /// <summary>Warnings and errors logged so far (goes up with each one: the page shows the list again when it changes).</summary>
    public long Count
    {
        get { lock (_gate) return _count; }
    }

    /// <summary>The warnings kept, oldest first.</summary>
    public IReadOnlyList<LoggedWarning> Latest()
    {
        lock (_gate)
        {
            int kept = (int)Math.Min(_count, _ring.Length);
            var list = new List<LoggedWarning>(kept);
            for (long i = _count - kept; i < _count; i++) list.Add(_ring[i % _ring.Length]);
            return list;
        }
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Add(LoggedWarning warning)
    {
        lock (_gate)
        {
            _ring[_count % _ring.Length] = warning;
            _count++;
        }
    }

    private sealed class Logger(RecentWarnings owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string message = formatter(state, exception);
            if (exception is not null) message = $"{message} ({exception.GetType().Name}: {exception.Message})";
            owner.Add(new LoggedWarning(DateTime.Now, logLevel, category, message));
        }
    }
}
