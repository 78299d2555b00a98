using Stage.Engine;
using System.Globalization;
using Stage.World;

namespace Stage.Hosting.World;

/// <summary>
/// The engine's view of a Stage.World <see cref="StageWorld"/>: advances it in whole fixed steps at
/// its time scale, hashes it once per frame, snapshots and restores it (a restore builds a new world
/// instance — <see cref="World"/> always names the current one), turns <c>/stage/world/rule</c>
/// commands into world commands, and, with a journal folder, persists it as issue #4 describes (a
/// snapshot every interval plus the command journal, so a crash loses no entity).
/// </summary>
public sealed class StageWorldHost : IWorldHost, IDisposable
{
    private readonly string? _journalDirectory;
    private readonly long _journalEverySteps;
    private StageWorld _world;
    private WorldJournal? _journal;
    private long _clockStep;
    private double _pendingSteps;
    private ulong _hash;
    private bool _hashStale = true;

    /// <summary>
    /// Drives <paramref name="world"/> (now owned by the host). With <paramref name="journalDirectory"/>,
    /// writes a snapshot there now and every <paramref name="journalEverySeconds"/> of simulation time,
    /// plus the journal of every command since.
    /// </summary>
    public StageWorldHost(StageWorld world, string? journalDirectory = null, double journalEverySeconds = 1.0)
    {
        ArgumentNullException.ThrowIfNull(world);
        if (!(journalEverySeconds > 0)) throw new ArgumentOutOfRangeException(nameof(journalEverySeconds), "The journal interval must be positive.");
        _world = world;
        _clockStep = world.StepCount;
        _journalDirectory = journalDirectory is null ? null : Path.GetFullPath(journalDirectory);
        _journalEverySteps = Math.Max(1, (long)Math.Round(journalEverySeconds * world.Settings.StepHz));
        StartJournal();
    }

    /// <summary>
    /// The scene's environment (HDR image or physical sky) for the renderer, decoded when the host was opened; null for
    /// none. Not world state: a restore keeps it.
    /// </summary>
    public Stage.Render.Sky.SceneEnvironment? Environment { get; init; }

    /// <summary>The world now (a new instance after each <see cref="Restore"/>).</summary>
    public StageWorld World => _world;

    /// <summary>Raised after <see cref="Restore"/> replaced the world instance.</summary>
    public event EventHandler? WorldReplaced;

    /// <summary>The journal folder, or null when the world is not persisted.</summary>
    public string? JournalDirectory => _journalDirectory;

    /// <inheritdoc/>
    public int StepRateHz => _world.Settings.StepHz;

    /// <inheritdoc/>
    public long StepCount => _clockStep;

    /// <inheritdoc/>
    public long WorldStep => _world.StepCount;

    /// <inheritdoc/>
    public ulong StateHash
    {
        get
        {
            if (_hashStale)
            {
                _hash = _world.ComputeStateHash();
                _hashStale = false;
            }
            return _hash;
        }
    }

    /// <summary>
    /// Opens the world a run starts with: from the journal in <paramref name="journalDirectory"/> when
    /// it holds a usable snapshot (a crash is resumed), otherwise — or with <paramref name="fresh"/> —
    /// from the scene file, setting any previous journal aside (renamed, never deleted).
    /// <paramref name="report"/> gets one line per thing worth telling the operator.
    /// </summary>
    /// <exception cref="WorldLoadException">The scene file is invalid (every fault listed) or a journal file is unreadable.</exception>
    public static StageWorldHost Open(string scenePath, string? journalDirectory, bool fresh, double journalEverySeconds, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (journalDirectory is not null && Directory.Exists(journalDirectory))
        {
            string? journalScene = JournalScene(journalDirectory);
            if (fresh)
            {
                SetAside(journalDirectory, "fresh world", report);
            }
            else if (journalScene is not null && !string.Equals(journalScene, Path.GetFullPath(scenePath), StringComparison.Ordinal))
            {
                // The operator named another world than the one the journal kept: resuming would run the old world under the new name.
                SetAside(journalDirectory, $"it holds the world of {journalScene}, not of {Path.GetFullPath(scenePath)}; starting that fresh", report);
            }
            else
            {
                JournalRecovery recovery;
                try
                {
                    recovery = WorldJournal.Recover(journalDirectory);
                }
                catch (WorldFileException e)
                {
                    throw new WorldLoadException($"the world journal cannot be read: {e.Message} (start with a fresh world to set it aside)", e);
                }
                foreach (string problem in recovery.Problems) report($"world journal: {problem}");
                if (recovery.World is { } resumed)
                {
                    report($"world resumed from {recovery.SnapshotPath} at step {resumed.StepCount} with {recovery.CommandsReplayed} journalled commands ({resumed.Entities.Count} entities)");
                    return new StageWorldHost(resumed, journalDirectory, journalEverySeconds) { Environment = LoadEnvironment(scenePath, SceneLoader.LoadFile(scenePath).Scene?.Environment) };
                }
            }
        }
        SceneLoadResult loaded = SceneLoader.LoadFile(scenePath);
        if (!loaded.IsValid)
            throw new WorldLoadException($"{scenePath} has {loaded.Faults.Count} faults:" + string.Concat(loaded.Faults.Select(f => System.Environment.NewLine + "  " + f)));
        Stage.Render.Sky.SceneEnvironment? environment = LoadEnvironment(scenePath, loaded.Scene!.Environment);
        StageWorld world = loaded.Scene!.Build();
        report($"world {Path.GetFileName(scenePath)}: {world.Entities.Count} entities, {world.Joints.Count} joints, {world.Settings.StepHz} Hz");
        if (loaded.Scene.Environment is { } setting) report($"environment: {setting.Describe()}");
        var host = new StageWorldHost(world, journalDirectory, journalEverySeconds) { Environment = environment };
        if (journalDirectory is not null && Directory.Exists(journalDirectory))
            File.WriteAllText(Path.Combine(journalDirectory, SceneMarkerFile), Path.GetFullPath(scenePath));
        return host;
    }

    /// <summary>The file in a journal folder naming the scene its world was built from (journals older than it have none).</summary>
    public const string SceneMarkerFile = "scene-path.txt";

    private static string? JournalScene(string journalDirectory)
    {
        string marker = Path.Combine(journalDirectory, SceneMarkerFile);
        return File.Exists(marker) ? File.ReadAllText(marker).Trim() : null;
    }

    /// <summary>Renames a journal folder aside (never deletes it) and tells the operator why.</summary>
    private static void SetAside(string journalDirectory, string why, Action<string> report)
    {
        string aside = journalDirectory.TrimEnd(Path.DirectorySeparatorChar) + "-set-aside-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        Directory.Move(journalDirectory, aside);
        report($"world journal {journalDirectory} set aside as {aside} ({why})");
    }

    /// <summary>The scene's environment decoded now, so a bad image stops the start with the file named, never a frame.</summary>
    private static Stage.Render.Sky.SceneEnvironment? LoadEnvironment(string scenePath, SceneEnvironmentSetting? setting)
    {
        try
        {
            return Rendering.SceneEnvironmentLoader.Load(setting);
        }
        catch (Stage.Render.Sky.EnvironmentImageException e)
        {
            throw new WorldLoadException($"{scenePath}: environment.image: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public int AdvanceToStep(long step)
    {
        if (step <= _clockStep) return 0;
        // Time scale changes how many fixed steps engine time covers, never the step itself.
        _pendingSteps += (step - _clockStep) * _world.Rules.TimeScale;
        _clockStep = step;
        int run = (int)Math.Floor(_pendingSteps);
        _pendingSteps -= run;
        for (int i = 0; i < run; i++) _world.Step();
        if (run > 0) _hashStale = true;
        return run;
    }

    /// <summary>
    /// Steps the world itself to <paramref name="worldStep"/>, engine time following (a replay steps
    /// to the steps a take recorded, whatever the time scale was).
    /// </summary>
    public void StepWorldTo(long worldStep)
    {
        if (worldStep <= _world.StepCount) return;
        _world.StepTo(worldStep);
        _clockStep = Math.Max(_clockStep, worldStep);
        _hashStale = true;
    }

    /// <inheritdoc/>
    public byte[] Snapshot() => WorldCodec.EncodeSnapshot(WorldImage.Capture(_world));

    /// <inheritdoc/>
    public void SaveSnapshot(string path) => WorldCodec.SaveSnapshot(_world, path);

    /// <inheritdoc/>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        _journal?.Dispose();
        _journal = null;
        try
        {
            // In place when the snapshot is of this world's build (a take reset: no bodies recreated); otherwise a new world.
            // A corrupt snapshot fails its checksum before anything changes.
            if (!WorldCodec.TryRestoreSnapshotInto(snapshot, "take snapshot", _world))
            {
                StageWorld restored = WorldCodec.DecodeSnapshot(snapshot, "take snapshot").Restore();
                _world.Dispose();
                _world = restored;
            }
        }
        catch
        {
            StartJournal();
            throw;
        }
        _clockStep = _world.StepCount;
        _pendingSteps = 0;
        _hashStale = true;
        // Before the new journal starts: its pruning keeps the newest snapshots by step, which would be the discarded ones.
        DiscardJournalAfter(_world.StepCount);
        StartJournal();
        WorldReplaced?.Invoke(this, EventArgs.Empty);
    }

    /// <inheritdoc/>
    public bool TrySetRule(string name, double value, out string message)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!double.IsFinite(value))
        {
            message = $"{name}: the value must be a finite number";
            return false;
        }
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0) return TrySetTaggedOverride(name[..colon], name[(colon + 1)..], value, out message);
        WorldRules rules = _world.Rules;
        WorldRules? changed = name switch
        {
            "gravityScale" => rules with { GravityScale = value },
            "timeScale" => rules with { TimeScale = value },
            "linearDampingPerS" or "linearDamping" => rules with { LinearDampingPerS = value },
            "angularDampingPerS" or "angularDamping" => rules with { AngularDampingPerS = value },
            "gravityX" => rules with { GravityMps2 = rules.GravityMps2 with { X = value } },
            "gravityY" => rules with { GravityMps2 = rules.GravityMps2 with { Y = value } },
            "gravityZ" => rules with { GravityMps2 = rules.GravityMps2 with { Z = value } },
            "contactEventThresholdMps" => rules with { ContactEventThresholdMps = value },
            "timeOfDayScale" => rules with { TimeOfDayScale = value },
            _ => null,
        };
        if (changed is null)
        {
            message = $"no world rule '{name}' (rules: {RuleNames}; per tag: floats:<tag>, frozen:<tag>, kinematic:<tag>, gravityScale:<tag>)";
            return false;
        }
        IReadOnlyList<string> faults = changed.Validate();
        if (faults.Count > 0)
        {
            message = string.Join("; ", faults);
            return false;
        }
        _world.Submit(new SetRulesCommand(changed));
        message = $"{name} = {value.ToString(CultureInfo.InvariantCulture)} from world step {_world.StepCount}";
        return true;
    }

    /// <summary>The world-wide rules <see cref="TrySetRule"/> knows.</summary>
    public const string RuleNames = "gravityScale, timeScale, linearDampingPerS, angularDampingPerS, gravityX, gravityY, gravityZ, contactEventThresholdMps, timeOfDayScale";

    /// <summary>
    /// At a clean stop: writes the snapshot of the step the world stands at now, so the next run resumes
    /// exactly here rather than replaying the journal since the last interval. Returns its path, or null
    /// when the world is not journalled.
    /// </summary>
    public string? Checkpoint()
    {
        if (_journal is null) return null;
        _journal.WriteSnapshotAndStartLog();
        return _journal.LatestSnapshotPath;
    }

    /// <summary>Stops journaling and frees the world.</summary>
    public void Dispose()
    {
        _journal?.Dispose();
        _journal = null;
        _world.Dispose();
    }

    private bool TrySetTaggedOverride(string what, string tag, double value, out string message)
    {
        IReadOnlyList<Entity> tagged = _world.WithTag(tag);
        if (tagged.Count == 0)
        {
            message = $"no entity has the tag '{tag}'";
            return false;
        }
        bool on = value != 0;
        Func<EntityOverrides, EntityOverrides>? change = what switch
        {
            "floats" => o => o with { Floats = on },
            "frozen" => o => o with { Frozen = on },
            "kinematic" => o => o with { Kinematic = on },
            "gravityScale" => o => o with { GravityScale = value },
            _ => null,
        };
        if (change is null)
        {
            message = $"no per-tag rule '{what}' (per tag: floats, frozen, kinematic, gravityScale)";
            return false;
        }
        foreach (Entity entity in tagged) _world.Submit(new SetOverridesCommand(entity.Id, change(entity.Overrides)));
        message = $"{what} = {value.ToString(CultureInfo.InvariantCulture)} for {tagged.Count} entities tagged '{tag}' from world step {_world.StepCount}";
        return true;
    }

    private void StartJournal()
    {
        if (_journalDirectory is not null) _journal = new WorldJournal(_journalDirectory, _world, _journalEverySteps);
    }

    /// <summary>
    /// After a reset the world's timeline goes back: snapshots and journals of later steps belong to
    /// the discarded timeline and would win a recovery, so they go; the new snapshot is written right after.
    /// </summary>
    private void DiscardJournalAfter(long step)
    {
        if (_journalDirectory is null) return;
        foreach (string path in Directory.GetFiles(_journalDirectory))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            int dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0 || !(name.StartsWith("snapshot-", StringComparison.Ordinal) || name.StartsWith("journal-", StringComparison.Ordinal))) continue;
            if (long.TryParse(name[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out long fileStep) && fileStep > step)
                File.Delete(path);
        }
    }
}

/// <summary>The world a run needs cannot be loaded (an invalid scene, an unreadable journal).</summary>
public sealed class WorldLoadException(string message, Exception? inner = null) : Exception(message, inner);
