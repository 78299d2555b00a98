using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stage.Engine.Status;

namespace Stage.Hosting.Operator;

/// <summary>
/// Pushes the status to every connected page (Server-Sent Events): a thread of its own wakes when the engine
/// publishes a snapshot (at most <see cref="IdlePush"/> apart otherwise, so trackers going LOST show even while the
/// engine is slow), writes one event and hands the same bytes to each page's queue. A page that reads slowly
/// loses its oldest events, never anyone else's, and never holds the engine up: the engine only publishes.
/// </summary>
internal sealed class StatusBroadcaster : IDisposable
{
    /// <summary>
    /// The longest gap between two events while pages are connected: while the engine publishes (10 a second) every
    /// push carries a new snapshot; when it stalls, pages still get 5 a second with the trackers read afresh.
    /// </summary>
    public static readonly TimeSpan IdlePush = TimeSpan.FromMilliseconds(200);

    private const int QueuedEventsPerPage = 4;

    private readonly EngineStatusBoard _board;
    private readonly StatusWriter _writer;
    private readonly WorldMapCapture? _map;
    private readonly PageWatch _watch;
    private readonly RecentWarnings _warnings;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly List<Channel<byte[]>> _pages = [];
    private readonly Thread _thread;
    private volatile bool _stopping;
    private byte[]? _latest;
    private bool _faultReported;

    public StatusBroadcaster(EngineStatusBoard board, StatusWriter writer, WorldMapCapture? map, PageWatch watch, RecentWarnings warnings, ILogger log)
    {
        _log = log;
        _board = board;
        _writer = writer;
        _map = map;
        _watch = watch;
        _warnings = warnings;
        _thread = new Thread(Run) { IsBackground = true, Name = "operator page status" };
        _thread.Start();
    }

    /// <summary>Pages connected now.</summary>
    public int PageCount
    {
        get { lock (_gate) return _pages.Count; }
    }

    /// <summary>Events written so far.</summary>
    public long EventsWritten { get; private set; }

    /// <summary>A new page's queue of events, starting with the newest event when there is one.</summary>
    public ChannelReader<byte[]> Connect()
    {
        Channel<byte[]> page = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueuedEventsPerPage)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
        lock (_gate)
        {
            _pages.Add(page);
            if (_latest is not null) page.Writer.TryWrite(_latest);
        }
        _watch.Touch();
        return page.Reader;
    }

    /// <summary>Forgets a page's queue (its connection ended).</summary>
    public void Disconnect(ChannelReader<byte[]> reader)
    {
        lock (_gate) _pages.RemoveAll(p => p.Reader == reader);
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        lock (_gate)
        {
            foreach (Channel<byte[]> page in _pages) page.Writer.TryComplete();
            _pages.Clear();
        }
    }

    private void ReportFault(Exception e)
    {
        if (_faultReported) return;
        _faultReported = true;
        _log.LogError(e, "Operator page: a status update could not be written; the page shows the last one (reported once)");
    }

    private void Run()
    {
        long warningsSent = -1;
        long events = 0;
        while (!_stopping)
        {
            _board.WaitAndTake(IdlePush, out EngineStatusSnapshot? engine);
            if (_stopping) return;
            if (PageCount == 0) continue;
            _watch.Touch();
            bool newMap = false;
            WorldMapSnapshot? map = null;
            if (_map is not null) newMap = _map.TryTake(out map);
            // The warnings when they change, and every 10th event so a page that just connected gets them soon.
            long warningCount = _warnings.Count;
            bool warnings = warningCount != warningsSent || events % 10 == 0;
            byte[] bytes;
            try
            {
                bytes = _writer.Write(engine, newMap ? map : null, warnings);
            }
            catch (Exception e)
            {
                // A fault in the page's status must never end the run (an exception on this thread would end the process).
                ReportFault(e);
                continue;
            }
            if (warnings) warningsSent = warningCount;
            events++;
            lock (_gate)
            {
                _latest = bytes;
                foreach (Channel<byte[]> page in _pages) page.Writer.TryWrite(bytes);
            }
            EventsWritten = events;
        }
    }
}
