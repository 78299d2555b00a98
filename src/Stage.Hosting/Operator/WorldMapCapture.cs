using Stage.Engine.Status;
using Stage.Hosting.World;

namespace Stage.Hosting.Operator;

/// <summary>
/// Copies where the world's entities are for the operator page's map: hooked to the engine's status
/// publication (<see cref="Stage.Engine.FrameLoop.StatusPublished"/>), so it runs on the engine thread between
/// frames — the only thread that may read the world — about twice a second and only while a page watches.
/// The page's thread takes the newest copy; neither waits for the other.
/// </summary>
public sealed class WorldMapCapture
{
    /// <summary>The most entities a map shows (the rest are counted).</summary>
    public const int EntityLimit = 5000;

    private readonly StageWorldHost _world;
    private readonly PageWatch _watch;
    private readonly int _everyPublications;
    private readonly TripleBuffer<WorldMapSnapshot> _buffers = new(() => new WorldMapSnapshot());
    private int _publications;

    /// <summary>Captures <paramref name="world"/> every <paramref name="everyPublications"/>th status publication while <paramref name="watch"/> says a page looks.</summary>
    public WorldMapCapture(StageWorldHost world, PageWatch watch, int everyPublications = 5)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyPublications, 1);
        _world = world;
        _watch = watch;
        _everyPublications = everyPublications;
    }

    /// <summary>Engine thread, at each status publication: copies the entities when due and watched.</summary>
    public void OnStatusPublished()
    {
        if (++_publications < _everyPublications || !_watch.IsWatched) return;
        _publications = 0;
        _buffers.Back.Fill(_world.World, EntityLimit);
        _buffers.Publish();
    }

    /// <summary>The page's thread (one reader): the newest copy, and whether it is new since the last call; null before the first.</summary>
    public bool TryTake(out WorldMapSnapshot? map) => _buffers.TryTake(out map);
}
