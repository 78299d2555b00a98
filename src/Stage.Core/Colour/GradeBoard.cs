using Stage.Core.Configuration;

namespace Stage.Core.Colour;

/// <summary>
/// The grades in force now: each camera's (its inner frustum) and each wall's (its outer pixels), starting from the
/// configuration and changed live (OSC <c>/stage/camera/&lt;id&gt;/cdl</c>, <c>/stage/wall/&lt;id&gt;/cdl</c>). Written and
/// read on the engine thread; <see cref="Version"/> tells a reader (the renderer) when to copy them.
/// </summary>
public sealed class GradeBoard
{
    private readonly string[] _cameraIds;
    private readonly string[] _wallIds;
    private readonly AscCdl[] _cameras;
    private readonly AscCdl[] _walls;

    /// <summary>The configuration's grades.</summary>
    public GradeBoard(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _cameraIds = config.Cameras.Select(c => c.Id).ToArray();
        _wallIds = config.Walls.Select(w => w.Id).ToArray();
        _cameras = config.Cameras.Select(c => c.Cdl).ToArray();
        _walls = config.Walls.Select(w => w.Cdl).ToArray();
    }

    /// <summary>Changes with every grade set.</summary>
    public long Version { get; private set; }

    /// <summary>Camera ids, configuration order.</summary>
    public IReadOnlyList<string> CameraIds => _cameraIds;

    /// <summary>Wall ids, configuration order.</summary>
    public IReadOnlyList<string> WallIds => _wallIds;

    /// <summary>Camera <paramref name="index"/>'s grade.</summary>
    public AscCdl Camera(int index) => _cameras[index];

    /// <summary>Wall <paramref name="index"/>'s grade.</summary>
    public AscCdl Wall(int index) => _walls[index];

    /// <summary>Sets camera <paramref name="index"/>'s grade.</summary>
    public void SetCamera(int index, AscCdl cdl)
    {
        _cameras[index] = cdl;
        Version++;
    }

    /// <summary>Sets wall <paramref name="index"/>'s grade.</summary>
    public void SetWall(int index, AscCdl cdl)
    {
        _walls[index] = cdl;
        Version++;
    }
}
