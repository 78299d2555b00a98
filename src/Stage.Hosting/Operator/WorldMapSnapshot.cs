using Stage.World;

namespace Stage.Hosting.Operator;

/// <summary>
/// Where the world's entities are, for the operator page's stage map: filled on the engine thread by
/// <see cref="WorldMapCapture"/> into arrays kept between captures, read on the page's thread.
/// </summary>
public sealed class WorldMapSnapshot
{
    private long[] _ids = [];
    private string[] _names = [];
    private float[] _xyzM = [];
    private float[] _radiusM = [];

    /// <summary>The world step of the capture.</summary>
    public long WorldStep { get; private set; }

    /// <summary>The world's rules at the capture (an immutable record).</summary>
    public WorldRules? Rules { get; private set; }

    /// <summary>Entities held (at most the capture's limit).</summary>
    public int Count { get; private set; }

    /// <summary>Entities the world had, held or not.</summary>
    public int TotalCount { get; private set; }

    /// <summary>Entity <paramref name="i"/>'s id.</summary>
    public long Id(int i) => _ids[i];

    /// <summary>Entity <paramref name="i"/>'s name.</summary>
    public string Name(int i) => _names[i];

    /// <summary>Entity <paramref name="i"/>'s position in stage space, metres.</summary>
    public (float X, float Y, float Z) PositionM(int i) => (_xyzM[3 * i], _xyzM[3 * i + 1], _xyzM[3 * i + 2]);

    /// <summary>Entity <paramref name="i"/>'s bounding radius, metres.</summary>
    public float RadiusM(int i) => _radiusM[i];

    /// <summary>Engine thread: copies the entities of <paramref name="world"/>, at most <paramref name="limit"/>; grows its arrays only when the world outgrows them.</summary>
    internal void Fill(StageWorld world, int limit)
    {
        IReadOnlyList<Entity> entities = world.Entities;
        int count = Math.Min(entities.Count, limit);
        if (_ids.Length < count)
        {
            int capacity = Math.Min(limit, Math.Max(count, _ids.Length * 2));
            _ids = new long[capacity];
            _names = new string[capacity];
            _xyzM = new float[capacity * 3];
            _radiusM = new float[capacity];
        }
        for (int i = 0; i < count; i++)
        {
            Entity entity = entities[i];
            _ids[i] = entity.Id;
            _names[i] = entity.Name;
            var position = entity.PositionM;
            _xyzM[3 * i] = (float)position.X;
            _xyzM[3 * i + 1] = (float)position.Y;
            _xyzM[3 * i + 2] = (float)position.Z;
            _radiusM[i] = (float)entity.BoundingRadiusM;
        }
        Count = count;
        TotalCount = entities.Count;
        WorldStep = world.StepCount;
        Rules = world.Rules;
    }
}
