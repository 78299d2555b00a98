using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Stage.Core.Logging;

/// <summary>
/// Writes every log entry as one JSON line to a file per shoot day (<c>stage-YYYY-MM-DD.log</c>), so
/// a DIT or engineer can grep or parse a day's log. A file that cannot be written (full disk, no
/// permission) is reported once on standard error and logging goes on to the console: a log fault
/// must never stop a shoot.
/// </summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    // Relaxed escaping keeps apostrophes and '+' readable for a person grepping the file; it is still valid JSON.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly object _lock = new();
    private readonly string _directory;
    private readonly LogLevel _minimumLevel;
    private readonly Func<DateTime> _localNow;
    private StreamWriter? _writer;
    private DateOnly _day;
    private bool _failed;
    private bool _disposed;

    /// <summary>Logs at <paramref name="minimumLevel"/> and above into <paramref name="directory"/>.</summary>
    public FileLoggerProvider(string directory, LogLevel minimumLevel, Func<DateTime>? localNow = null)
    {
        _directory = directory;
        _minimumLevel = minimumLevel;
        _localNow = localNow ?? (() => DateTime.Now);
    }

    /// <summary>The file of the current shoot day.</summary>
    public string CurrentFilePath => Path.Combine(_directory, $"stage-{ShootDay.Of(_localNow()):yyyy-MM-dd}.log");

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _writer?.Dispose();
            _writer = null;
        }
    }

    private void Write(string category, LogLevel level, EventId eventId, string message, Exception? exception, IReadOnlyList<KeyValuePair<string, object?>>? state)
    {
        DateTime now = _localNow();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("time", new DateTimeOffset(now).ToString("O"));
            json.WriteString("level", level.ToString());
            json.WriteString("category", category);
            if (eventId.Id != 0) json.WriteNumber("eventId", eventId.Id);
            json.WriteString("message", message);
            if (state is not null)
            {
                foreach ((string key, object? value) in state)
                {
                    if (key == "{OriginalFormat}") continue;
                    json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            if (exception is not null) json.WriteString("exception", exception.ToString());
            json.WriteEndObject();
        }
        string line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_lock)
        {
            if (_disposed || _failed) return;
            try
            {
                DateOnly day = ShootDay.Of(now);
                if (_writer is null || day != _day)
                {
                    _writer?.Dispose();
                    Directory.CreateDirectory(_directory);
                    _writer = new StreamWriter(new FileStream(Path.Combine(_directory, $"stage-{day:yyyy-MM-dd}.log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
                    _day = day;
                }
                _writer.WriteLine(line);
                _writer.Flush();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _failed = true;
                Console.Error.WriteLine($"stage: cannot write the log file in {_directory}: {e.Message}; logging to the console only");
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            provider.Write(category, logLevel, eventId, formatter(state, exception), exception, state as IReadOnlyList<KeyValuePair<string, object?>>);
        }
    }
}
