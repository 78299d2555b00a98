using System.Globalization;
using Microsoft.Data.Sqlite;
using Stage.Core.Logging;
using Stage.Core.Time;

namespace Stage.Takes;

/// <summary>
/// The take log: a SQLite database in WAL mode holding shoot days, takes, notes and the per-frame
/// camera track. Crash safety: frames are committed at least once a second; on open, a take left
/// recording by a process that died is marked interrupted and keeps every committed frame.
/// </summary>
public sealed class TakeLog : IDisposable
{
    private const int SchemaVersion = 5;
    private readonly SqliteConnection _connection;
    private bool _disposed;

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Takes found still recording when the log was opened and marked interrupted.</summary>
    public IReadOnlyList<long> RecoveredTakeIds { get; }

    private TakeLog(string path, SqliteConnection connection, IReadOnlyList<long> recovered)
    {
        Path = path;
        _connection = connection;
        RecoveredTakeIds = recovered;
    }

    /// <summary>
    /// Opens (creating when <paramref name="create"/>) the take log at <paramref name="path"/>, checks it,
    /// and marks takes a dead process left recording as interrupted.
    /// </summary>
    /// <exception cref="TakeLogException">The file is missing (and not created), not a take log, or damaged.</exception>
    public static TakeLog Open(string path, bool create = true)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        if (!create && !File.Exists(fullPath)) throw new TakeLogException($"take log {fullPath} does not exist");
        if (create) Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
            string check = Scalar<string>(connection, "PRAGMA quick_check;") ?? "";
            if (check != "ok") throw new TakeLogException($"take log {fullPath} is damaged: {check}");
            Migrate(connection, fullPath);
            IReadOnlyList<long> recovered = RecoverInterrupted(connection);
            return new TakeLog(fullPath, connection, recovered);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new TakeLogException($"take log {fullPath} cannot be opened: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the take log at <paramref name="path"/> for reading only, beside the engine that writes it (WAL lets
    /// readers in while a take records): no upgrade and no recovery, which belong to the writer. For readers on
    /// other threads, such as the operator page; any write through it fails.
    /// </summary>
    /// <exception cref="TakeLogException">The file is missing, not a take log, or of another schema version.</exception>
    public static TakeLog OpenReadOnly(string path)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new TakeLogException($"take log {fullPath} does not exist");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout=5000;");
            long version = Scalar<long>(connection, "PRAGMA user_version;");
            if (version != SchemaVersion) throw new TakeLogException($"take log {fullPath} has schema {version}, not {SchemaVersion}; open it with the engine first");
            return new TakeLog(fullPath, connection, []);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new TakeLogException($"take log {fullPath} cannot be opened for reading: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Starts a take: numbered after the scene's last take of the shoot day; records the world's state at the start.</summary>
    /// <param name="scene">Scene / slate.</param>
    /// <param name="cameras">Cameras tracked in the take; the first is the hero camera.</param>
    /// <param name="rate">Frame rate.</param>
    /// <param name="start">Timecode of the first frame.</param>
    /// <param name="worldSnapshot">The world snapshot at the start (empty when there is no world).</param>
    /// <param name="stateHash">The world's state hash at the start.</param>
    /// <param name="startedLocal">Local wall-clock time of the start, which sets the shoot day.</param>
    /// <param name="stageConfigPath">The stage configuration the take was shot with (what a replay renders), or null.</param>
    public TakeRecorder StartTake(string scene, IReadOnlyList<TakeCamera> cameras, FrameRate rate, Timecode start,
        ReadOnlySpan<byte> worldSnapshot, ulong stateHash, DateTime startedLocal, string? stageConfigPath = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (string.IsNullOrWhiteSpace(scene)) throw new ArgumentException("a take needs a scene / slate", nameof(scene));
        if (cameras.Count == 0) throw new ArgumentException("a take needs at least one camera", nameof(cameras));
        DateOnly day = ShootDay.Of(startedLocal);
        using SqliteTransaction transaction = _connection.BeginTransaction();
        long dayId = DayId(day, transaction);
        int number = (int)(Scalar<long?>(_connection, "SELECT MAX(take_number) FROM takes WHERE day_id = $day AND scene = $scene;", transaction,
            ("$day", dayId), ("$scene", scene)) ?? 0) + 1;
        TakeCamera hero = cameras[0];
        long takeId = Scalar<long>(_connection, """
            INSERT INTO takes (day_id, scene, take_number, camera, focal_length_mm, sensor_width_mm, sensor_height_mm, rate_num, rate_den,
                               drop_frame, start_frame, frame_count, dropped_frames, start_hash, end_hash, snapshot_start, circled, ng, status, started_utc, stage_config)
            VALUES ($day, $scene, $number, $camera, $focal, $sw, $sh, $num, $den, $df, $start, 0, 0, $hash, '', $snapshot, 0, 0, 'recording', $utc, $config)
            RETURNING id;
            """, transaction,
            ("$day", dayId), ("$scene", scene), ("$number", number), ("$camera", hero.Id), ("$focal", hero.FocalLengthMm),
            ("$sw", hero.SensorWidthMm), ("$sh", hero.SensorHeightMm), ("$num", rate.Numerator), ("$den", rate.Denominator),
            ("$df", start.DropFrame ? 1 : 0), ("$start", start.ToFrameCount()), ("$hash", HashText(stateHash)),
            ("$snapshot", worldSnapshot.ToArray()), ("$utc", startedLocal.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
            ("$config", (object?)stageConfigPath ?? DBNull.Value));
        for (int i = 0; i < cameras.Count; i++)
        {
            Execute(_connection, "INSERT INTO take_cameras (take_id, camera_index, camera) VALUES ($take, $index, $camera);", transaction,
                ("$take", takeId), ("$index", i), ("$camera", cameras[i].Id));
        }
        transaction.Commit();
        return new TakeRecorder(this, takeId, cameras, start);
    }

    /// <summary>Shoot days in the log, oldest first.</summary>
    public IReadOnlyList<DateOnly> Days()
    {
        var days = new List<DateOnly>();
        using SqliteCommand command = Command(_connection, "SELECT day FROM shoot_days ORDER BY day;");
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read()) days.Add(DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture));
        return days;
    }

    /// <summary>Takes of one day (or all days when null), in the order they were shot.</summary>
    public IReadOnlyList<TakeInfo> Takes(DateOnly? day = null)
    {
        var ids = new List<long>();
        using (SqliteCommand command = day is null
            ? Command(_connection, "SELECT id FROM takes ORDER BY id;")
            : Command(_connection, "SELECT t.id FROM takes t JOIN shoot_days d ON d.id = t.day_id WHERE d.day = $day ORDER BY t.id;", null,
                ("$day", day.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read()) ids.Add(reader.GetInt64(0));
        }
        return ids.Select(Take).ToList();
    }

    /// <summary>One take by id.</summary>
    /// <exception cref="TakeLogException">No take has that id.</exception>
    public TakeInfo Take(long id)
    {
        using SqliteCommand command = Command(_connection, """
            SELECT d.day, t.scene, t.take_number, t.camera, t.focal_length_mm, t.sensor_width_mm, t.sensor_height_mm, t.rate_num, t.rate_den,
                   t.drop_frame, t.start_frame, t.frame_count, t.dropped_frames, t.start_hash, t.end_hash, t.circled, t.ng, t.status, t.started_utc, t.stage_config
            FROM takes t JOIN shoot_days d ON d.id = t.day_id WHERE t.id = $id;
            """, null, ("$id", id));
        using SqliteDataReader r = command.ExecuteReader();
        if (!r.Read()) throw new TakeLogException($"take {id} does not exist in {Path}");
        var rate = new FrameRate(r.GetInt64(7), r.GetInt64(8));
        bool dropFrame = r.GetInt64(9) != 0;
        return new TakeInfo
        {
            Id = id,
            Day = DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Scene = r.GetString(1),
            TakeNumber = r.GetInt32(2),
            Camera = r.GetString(3),
            FocalLengthMm = r.GetDouble(4),
            SensorWidthMm = r.GetDouble(5),
            SensorHeightMm = r.GetDouble(6),
            FrameRate = rate,
            DropFrame = dropFrame,
            Start = Timecode.FromFrameCount(r.GetInt64(10), rate, dropFrame),
            FrameCount = r.GetInt64(11),
            DroppedFrames = r.GetInt64(12),
            StartStateHash = r.GetString(13),
            EndStateHash = r.GetString(14),
            Circled = r.GetInt64(15) != 0,
            NoGood = r.GetInt64(16) != 0,
            Status = ParseStatus(r.GetString(17)),
            StartedUtc = DateTime.Parse(r.GetString(18), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            Notes = Notes(id),
            StageConfigPath = r.IsDBNull(19) ? null : r.GetString(19),
            CameraCdl = Grades(id).LastOrDefault(g => g.Target == GradeTarget.Camera && g.Id == r.GetString(3))?.Cdl,
            Nodes = Nodes(id),
        };
    }

    /// <summary>The take shot last, or null when the log is empty.</summary>
    public TakeInfo? LastTake()
    {
        long? id = Scalar<long?>(_connection, "SELECT MAX(id) FROM takes;");
        return id is null ? null : Take(id.Value);
    }

    /// <summary>The world snapshot recorded at a take's start.</summary>
    public byte[] StartSnapshot(long takeId) =>
        Scalar<byte[]>(_connection, "SELECT snapshot_start FROM takes WHERE id = $id;", null, ("$id", takeId))
        ?? throw new TakeLogException($"take {takeId} does not exist in {Path}");

    /// <summary>The recorded track of a take, by frame then camera.</summary>
    public IReadOnlyList<RecordedFrame> Track(long takeId)
    {
        TakeInfo take = Take(takeId);
        var cameras = new Dictionary<int, string>();
        using (SqliteCommand command = Command(_connection, "SELECT camera_index, camera FROM take_cameras WHERE take_id = $id;", null, ("$id", takeId)))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read()) cameras[reader.GetInt32(0)] = reader.GetString(1);
        }
        var frames = new List<RecordedFrame>();
        using (SqliteCommand command = Command(_connection, """
            SELECT frame, camera_index, px, py, pz, qx, qy, qz, qw, focal_length_mm, focus_distance_m, pose_age_us, state_hash, world_step, has_pose
            FROM track WHERE take_id = $id ORDER BY frame, camera_index;
            """, null, ("$id", takeId)))
        using (SqliteDataReader r = command.ExecuteReader())
        {
            while (r.Read())
            {
                long frame = r.GetInt64(0);
                int cameraIndex = r.GetInt32(1);
                var sample = new TrackFrame(frame, cameraIndex,
                    new System.Numerics.Vector3((float)r.GetDouble(2), (float)r.GetDouble(3), (float)r.GetDouble(4)),
                    new System.Numerics.Quaternion((float)r.GetDouble(5), (float)r.GetDouble(6), (float)r.GetDouble(7), (float)r.GetDouble(8)),
                    r.GetDouble(9), r.IsDBNull(10) ? double.NaN : r.GetDouble(10), r.IsDBNull(11) ? double.NaN : r.GetDouble(11), unchecked((ulong)r.GetInt64(12)), r.IsDBNull(13) ? 0 : r.GetInt64(13),
                    r.GetInt64(14) != 0);
                frames.Add(new RecordedFrame(cameras.GetValueOrDefault(cameraIndex, "?"), (take.Start + frame).ToString(), sample));
            }
        }
        return frames;
    }

    /// <summary>Circles (or un-circles) a take.</summary>
    public void SetCircled(long takeId, bool circled) => UpdateFlag(takeId, "circled", circled);

    /// <summary>Marks a take no-good (or clears it).</summary>
    public void SetNoGood(long takeId, bool noGood) => UpdateFlag(takeId, "ng", noGood);

    /// <summary>Adds a note to a take.</summary>
    public void AddNote(long takeId, string text)
    {
        Take(takeId);
        Execute(_connection, "INSERT INTO notes (take_id, text) VALUES ($id, $text);", null, ("$id", takeId), ("$text", text));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _connection.Dispose();
    }

    internal void AppendFrames(long takeId, ReadOnlySpan<TrackFrame> frames, long frameCount, long droppedFrames)
    {
        using SqliteTransaction transaction = _connection.BeginTransaction();
        using SqliteCommand insert = Command(_connection, """
            INSERT INTO track (take_id, frame, camera_index, px, py, pz, qx, qy, qz, qw, focal_length_mm, focus_distance_m, pose_age_us, state_hash, world_step, has_pose)
            VALUES ($take, $frame, $camera, $px, $py, $pz, $qx, $qy, $qz, $qw, $focal, $focus, $age, $hash, $step, $pose);
            """, transaction);
        SqliteParameter[] p = new[] { "$take", "$frame", "$camera", "$px", "$py", "$pz", "$qx", "$qy", "$qz", "$qw", "$focal", "$focus", "$age", "$hash", "$step", "$pose" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        p[0].Value = takeId;
        foreach (TrackFrame f in frames)
        {
            p[1].Value = f.Frame; p[2].Value = f.CameraIndex;
            p[3].Value = (double)f.PositionM.X; p[4].Value = (double)f.PositionM.Y; p[5].Value = (double)f.PositionM.Z;
            p[6].Value = (double)f.Orientation.X; p[7].Value = (double)f.Orientation.Y; p[8].Value = (double)f.Orientation.Z; p[9].Value = (double)f.Orientation.W;
            p[10].Value = f.FocalLengthMm; p[11].Value = double.IsNaN(f.FocusDistanceM) ? DBNull.Value : f.FocusDistanceM;
            p[12].Value = double.IsNaN(f.PoseAgeUs) ? DBNull.Value : f.PoseAgeUs; p[13].Value = unchecked((long)f.StateHash);
            p[14].Value = f.WorldStep;
            p[15].Value = f.HasPose ? 1 : 0;
            insert.ExecuteNonQuery();
        }
        Execute(_connection, "UPDATE takes SET frame_count = $count, dropped_frames = $dropped WHERE id = $id;", transaction,
            ("$count", frameCount), ("$dropped", droppedFrames), ("$id", takeId));
        transaction.Commit();
    }

    private const string WorldCommandsTable = """
        CREATE TABLE world_commands (
            id INTEGER PRIMARY KEY,
            take_id INTEGER NOT NULL REFERENCES takes(id),
            frame INTEGER NOT NULL,
            name TEXT NOT NULL,
            value REAL NOT NULL);
        """;

    private const string GradesTable = """
        CREATE TABLE grades (
            id INTEGER PRIMARY KEY,
            take_id INTEGER NOT NULL REFERENCES takes(id),
            frame INTEGER NOT NULL,
            target TEXT NOT NULL CHECK (target IN ('camera', 'wall')),
            target_id TEXT NOT NULL,
            slope_r REAL NOT NULL, slope_g REAL NOT NULL, slope_b REAL NOT NULL,
            offset_r REAL NOT NULL, offset_g REAL NOT NULL, offset_b REAL NOT NULL,
            power_r REAL NOT NULL, power_g REAL NOT NULL, power_b REAL NOT NULL,
            saturation REAL NOT NULL);
        """;

    private const string NodesTable = """
        CREATE TABLE take_nodes (
            take_id INTEGER NOT NULL REFERENCES takes(id),
            node_index INTEGER NOT NULL,
            node TEXT NOT NULL,
            is_primary INTEGER NOT NULL,
            outputs TEXT NOT NULL,
            frames_compared INTEGER NOT NULL,
            frames_agreed INTEGER NOT NULL,
            first_divergent_frame INTEGER,
            PRIMARY KEY (take_id, node_index));
        """;

    /// <summary>
    /// Records which cluster nodes drew a take and whether their worlds agreed with the primary's (replacing what
    /// was recorded before for it). A take of one machine records none.
    /// </summary>
    public void SetNodes(long takeId, IReadOnlyList<TakeNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        Take(takeId);
        using SqliteTransaction transaction = _connection.BeginTransaction();
        Execute(_connection, "DELETE FROM take_nodes WHERE take_id = $id;", transaction, ("$id", takeId));
        for (int i = 0; i < nodes.Count; i++)
        {
            TakeNode n = nodes[i];
            Execute(_connection, """
                INSERT INTO take_nodes (take_id, node_index, node, is_primary, outputs, frames_compared, frames_agreed, first_divergent_frame)
                VALUES ($take, $index, $node, $primary, $outputs, $compared, $agreed, $diverged);
                """, transaction,
                ("$take", takeId), ("$index", i), ("$node", n.NodeId), ("$primary", n.Primary ? 1 : 0), ("$outputs", string.Join(",", n.Outputs)),
                ("$compared", n.FramesCompared), ("$agreed", n.FramesAgreed), ("$diverged", n.FirstDivergentFrame < 0 ? DBNull.Value : n.FirstDivergentFrame));
        }
        transaction.Commit();
    }

    /// <summary>The cluster nodes a take recorded, in configuration order (empty: a take of one machine).</summary>
    public IReadOnlyList<TakeNode> Nodes(long takeId)
    {
        var nodes = new List<TakeNode>();
        using SqliteCommand command = Command(_connection, """
            SELECT node, is_primary, outputs, frames_compared, frames_agreed, first_divergent_frame FROM take_nodes WHERE take_id = $id ORDER BY node_index;
            """, null, ("$id", takeId));
        using SqliteDataReader r = command.ExecuteReader();
        while (r.Read())
            nodes.Add(new TakeNode(r.GetString(0), r.GetInt64(1) != 0, r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries),
                r.GetInt64(3), r.GetInt64(4), r.IsDBNull(5) ? -1 : r.GetInt64(5)));
        return nodes;
    }

    internal void AppendGrade(long takeId, long frame, GradeTarget target, string id, Stage.Core.Colour.AscCdl c)
    {
        Execute(_connection, """
            INSERT INTO grades (take_id, frame, target, target_id, slope_r, slope_g, slope_b, offset_r, offset_g, offset_b, power_r, power_g, power_b, saturation)
            VALUES ($take, $frame, $target, $id, $sr, $sg, $sb, $or, $og, $ob, $pr, $pg, $pb, $sat);
            """, null,
            ("$take", takeId), ("$frame", frame), ("$target", target == GradeTarget.Camera ? "camera" : "wall"), ("$id", id),
            ("$sr", c.SlopeR), ("$sg", c.SlopeG), ("$sb", c.SlopeB), ("$or", c.OffsetR), ("$og", c.OffsetG), ("$ob", c.OffsetB),
            ("$pr", c.PowerR), ("$pg", c.PowerG), ("$pb", c.PowerB), ("$sat", c.Saturation));
    }

    /// <summary>The grades a take recorded (each target's grade at frame 0, then each change), in the order they were recorded.</summary>
    public IReadOnlyList<RecordedGrade> Grades(long takeId)
    {
        var grades = new List<RecordedGrade>();
        using SqliteCommand command = Command(_connection, """
            SELECT frame, target, target_id, slope_r, slope_g, slope_b, offset_r, offset_g, offset_b, power_r, power_g, power_b, saturation
            FROM grades WHERE take_id = $id ORDER BY id;
            """, null, ("$id", takeId));
        using SqliteDataReader r = command.ExecuteReader();
        while (r.Read())
        {
            grades.Add(new RecordedGrade(r.GetInt64(0), r.GetString(1) == "camera" ? GradeTarget.Camera : GradeTarget.Wall, r.GetString(2),
                new Stage.Core.Colour.AscCdl(r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7), r.GetDouble(8),
                    r.GetDouble(9), r.GetDouble(10), r.GetDouble(11), r.GetDouble(12))));
        }
        return grades;
    }

    internal void AppendWorldCommand(long takeId, long frame, string name, double value)
    {
        Execute(_connection, "INSERT INTO world_commands (take_id, frame, name, value) VALUES ($take, $frame, $name, $value);", null,
            ("$take", takeId), ("$frame", frame), ("$name", name), ("$value", value));
    }

    /// <summary>The world rule changes made while a take recorded, in the order they were made.</summary>
    public IReadOnlyList<RecordedWorldCommand> WorldCommands(long takeId)
    {
        Take(takeId);
        var commands = new List<RecordedWorldCommand>();
        using SqliteCommand command = Command(_connection, "SELECT frame, name, value FROM world_commands WHERE take_id = $id ORDER BY id;", null, ("$id", takeId));
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read()) commands.Add(new RecordedWorldCommand(reader.GetInt64(0), reader.GetString(1), reader.GetDouble(2)));
        return commands;
    }

    internal void FinishTake(long takeId, ulong endStateHash)
    {
        Execute(_connection, "UPDATE takes SET status = 'complete', end_hash = $hash WHERE id = $id;", null,
            ("$hash", HashText(endStateHash)), ("$id", takeId));
    }

    /// <summary>A state hash as the log writes it: 16 hex digits.</summary>
    public static string HashText(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    private IReadOnlyList<string> Notes(long takeId)
    {
        var notes = new List<string>();
        using SqliteCommand command = Command(_connection, "SELECT text FROM notes WHERE take_id = $id ORDER BY id;", null, ("$id", takeId));
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read()) notes.Add(reader.GetString(0));
        return notes;
    }

    private void UpdateFlag(long takeId, string column, bool value)
    {
        Take(takeId);
        Execute(_connection, $"UPDATE takes SET {column} = $value WHERE id = $id;", null, ("$value", value ? 1 : 0), ("$id", takeId));
    }

    private long DayId(DateOnly day, SqliteTransaction transaction)
    {
        string text = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Execute(_connection, "INSERT OR IGNORE INTO shoot_days (day) VALUES ($day);", transaction, ("$day", text));
        return Scalar<long>(_connection, "SELECT id FROM shoot_days WHERE day = $day;", transaction, ("$day", text));
    }

    private static TakeStatus ParseStatus(string text) => text switch
    {
        "recording" => TakeStatus.Recording,
        "complete" => TakeStatus.Complete,
        _ => TakeStatus.Interrupted,
    };

    private static void Migrate(SqliteConnection connection, string path)
    {
        long version = Scalar<long>(connection, "PRAGMA user_version;");
        if (version == SchemaVersion) return;
        if (version == 4)
        {
            // Version 4 had no cluster nodes: takes recorded before it name none (one machine, or not recorded).
            using SqliteTransaction upgrade4 = connection.BeginTransaction();
            Execute(connection, NodesTable + " PRAGMA user_version = 5;", upgrade4);
            upgrade4.Commit();
            return;
        }
        if (version == 3)
        {
            // Version 3 had no grades: takes recorded before it have none.
            using SqliteTransaction upgrade3 = connection.BeginTransaction();
            Execute(connection, GradesTable + NodesTable + " PRAGMA user_version = 5;", upgrade3);
            upgrade3.Commit();
            return;
        }
        if (version is 1 or 2)
        {
            using SqliteTransaction upgrade = connection.BeginTransaction();
            // Version 1 had no world step per frame, no stage configuration and no world commands: add both; old takes replay without them.
            if (version == 1)
                Execute(connection, "ALTER TABLE track ADD COLUMN world_step INTEGER; ALTER TABLE takes ADD COLUMN stage_config TEXT; " + WorldCommandsTable, upgrade);
            // Version 2 had no pose flag: a frame recorded without a pose is the one whose pose age is unknown.
            Execute(connection, "ALTER TABLE track ADD COLUMN has_pose INTEGER NOT NULL DEFAULT 1; UPDATE track SET has_pose = 0 WHERE pose_age_us IS NULL; " + GradesTable + NodesTable + " PRAGMA user_version = 5;", upgrade);
            upgrade.Commit();
            return;
        }
        if (version != 0) throw new TakeLogException($"{path} has take-log schema version {version}; this Stage reads version {SchemaVersion}");
        long tables = Scalar<long>(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table';");
        if (tables != 0) throw new TakeLogException($"{path} is a SQLite database but not a Stage take log");
        using SqliteTransaction transaction = connection.BeginTransaction();
        Execute(connection, """
            CREATE TABLE shoot_days (id INTEGER PRIMARY KEY, day TEXT NOT NULL UNIQUE);
            CREATE TABLE takes (
                id INTEGER PRIMARY KEY,
                day_id INTEGER NOT NULL REFERENCES shoot_days(id),
                scene TEXT NOT NULL,
                take_number INTEGER NOT NULL,
                camera TEXT NOT NULL,
                focal_length_mm REAL NOT NULL,
                sensor_width_mm REAL NOT NULL,
                sensor_height_mm REAL NOT NULL,
                rate_num INTEGER NOT NULL,
                rate_den INTEGER NOT NULL,
                drop_frame INTEGER NOT NULL,
                start_frame INTEGER NOT NULL,
                frame_count INTEGER NOT NULL,
                dropped_frames INTEGER NOT NULL,
                start_hash TEXT NOT NULL,
                end_hash TEXT NOT NULL,
                snapshot_start BLOB NOT NULL,
                circled INTEGER NOT NULL,
                ng INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('recording', 'complete', 'interrupted')),
                started_utc TEXT NOT NULL,
                stage_config TEXT,
                UNIQUE (day_id, scene, take_number));
            CREATE TABLE take_cameras (
                take_id INTEGER NOT NULL REFERENCES takes(id),
                camera_index INTEGER NOT NULL,
                camera TEXT NOT NULL,
                PRIMARY KEY (take_id, camera_index));
            CREATE TABLE notes (id INTEGER PRIMARY KEY, take_id INTEGER NOT NULL REFERENCES takes(id), text TEXT NOT NULL);
            CREATE TABLE track (
                take_id INTEGER NOT NULL REFERENCES takes(id),
                frame INTEGER NOT NULL,
                camera_index INTEGER NOT NULL,
                px REAL NOT NULL, py REAL NOT NULL, pz REAL NOT NULL,
                qx REAL NOT NULL, qy REAL NOT NULL, qz REAL NOT NULL, qw REAL NOT NULL,
                focal_length_mm REAL NOT NULL,
                focus_distance_m REAL,
                pose_age_us REAL,
                state_hash INTEGER NOT NULL,
                world_step INTEGER,
                has_pose INTEGER NOT NULL DEFAULT 1,
                PRIMARY KEY (take_id, frame, camera_index)) WITHOUT ROWID;
            """ + WorldCommandsTable + GradesTable + NodesTable + " PRAGMA user_version = 5;", transaction);
        transaction.Commit();
    }

    private static List<long> RecoverInterrupted(SqliteConnection connection)
    {
        var ids = new List<long>();
        using (SqliteCommand command = Command(connection, "SELECT id FROM takes WHERE status = 'recording' ORDER BY id;"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read()) ids.Add(reader.GetInt64(0));
        }
        foreach (long id in ids)
        {
            // The committed track is the truth: its frame count replaces whatever the dead process last wrote.
            Execute(connection, """
                UPDATE takes SET status = 'interrupted',
                    frame_count = COALESCE((SELECT MAX(frame) + 1 FROM track WHERE take_id = $id), 0)
                WHERE id = $id;
                """, null, ("$id", id));
        }
        return ids;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach ((string name, object value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, sql, transaction, parameters);
        command.ExecuteNonQuery();
    }

    private static T? Scalar<T>(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, sql, transaction, parameters);
        object? value = command.ExecuteScalar();
        if (value is null or DBNull) return default;
        Type target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }
}

/// <summary>A camera as a take records it.</summary>
/// <param name="Id">Camera id.</param>
/// <param name="FocalLengthMm">Focal length at the start, mm.</param>
/// <param name="SensorWidthMm">Sensor width, mm.</param>
/// <param name="SensorHeightMm">Sensor height, mm.</param>
public sealed record TakeCamera(string Id, double FocalLengthMm, double SensorWidthMm, double SensorHeightMm);
