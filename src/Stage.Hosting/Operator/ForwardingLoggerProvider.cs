using Microsoft.Extensions.Logging;

namespace Stage.Hosting.Operator;

/// <summary>
/// Hands ASP.NET Core's own log lines (Kestrel, routing) to the run's logger factory, so they land in the
/// shoot day's log file with everything else and never on a console of their own.
/// </summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory runLogging) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => runLogging.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
