using System.Globalization;
using System.Net;
using System.Text.Json;
using Stage.Core.Time;

namespace Stage.Core.Configuration;

/// <summary>Reads a stage configuration's JSON into a <see cref="StageConfig"/>, adding every fault with its path to the list it was given. One part per section of the file; this part reads the document and its small top-level sections.</summary>
internal sealed partial class StageConfigReader(List<ConfigFault> faults, string folder, string sourcePath, IReadOnlyList<ITrackingSourceReader> trackingKinds)
{
    private Dictionary<string, PanelSpec> _panels = new(StringComparer.Ordinal);

    public StageConfig? Read(JsonElement root)
    {
        var top = JsonObjectReader.Open(root, "", faults,
            "name", "frameRate", "panels", "walls", "outputs", "cameras", "tracking", "control", "world", "takes", "display", "operator", "render", "cluster");
        if (!top.IsValid) return null;

        string? name = top.String("name", required: true);
        FrameRate? rate = ReadFrameRate(top);
        _panels = ReadPanelLibrary(top);
        List<Wall> walls = ReadList(top, "walls", ReadWall);
        List<OutputCanvas> outputs = ReadList(top, "outputs", ReadOutput);
        List<TrackingSourceConfig> sources = ReadList(top, "tracking", ReadSource);
        List<CameraConfig> cameras = ReadList(top, "cameras", ReadCamera);
        ControlConfig control = ReadControl(top);
        string? worldPath = ReadWorld(top);
        string takesPath = ReadTakes(top);
        DisplayConfig display = ReadDisplay(top, outputs);
        OperatorConfig operatorConfig = ReadOperator(top, cameras, sources);
        RenderConfig render = ReadRender(top);
        outputs = ApplyReferenceWhite(outputs, render);
        ClusterConfig? cluster = ReadCluster(top, outputs);

        if (walls.Count == 0 && top.Has("walls") && faults.Count == 0) top.Fault("walls", "must hold at least one wall");
        CheckUnique(walls.Select(w => w.Id), "walls", "wall");
        CheckUnique(outputs.Select(o => o.Id), "outputs", "output");
        CheckUnique(cameras.Select(c => c.Id), "cameras", "camera");
        CheckUnique(sources.Select(s => s.Id), "tracking", "tracking source");
        CrossCheckOutputs(walls, outputs, root);
        CrossCheckCameras(cameras, sources, root);
        CrossCheckPorts(sources, control);
        CrossCheckWebPort(operatorConfig.Web, control);

        if (faults.Count > 0 || name is null || rate is null) return null;
        return new StageConfig
        {
            Name = name,
            SourcePath = sourcePath,
            FrameRate = rate.Value,
            Walls = walls,
            Outputs = outputs,
            Cameras = cameras,
            TrackingSources = sources,
            Control = control,
            WorldScenePath = worldPath,
            TakeDatabasePath = takesPath,
            Display = display,
            Operator = operatorConfig,
            Render = render,
            Cluster = cluster,
        };
    }

    private List<T> ReadList<T>(JsonObjectReader top, string name, Func<JsonElement, string, T?> readItem) where T : class
    {
        var list = new List<T>();
        foreach ((JsonElement item, string path) in top.Array(name, required: name is "walls" or "outputs" or "cameras" or "tracking"))
        {
            T? value = readItem(item, path);
            if (value is not null) list.Add(value);
        }
        return list;
    }

    private FrameRate? ReadFrameRate(JsonObjectReader top)
    {
        JsonElement? element = top.Element("frameRate", required: true);
        if (element is null) return null;
        string? text = element.Value.ValueKind switch
        {
            JsonValueKind.String => element.Value.GetString(),
            JsonValueKind.Number => element.Value.GetRawText(),
            _ => null,
        };
        if (text is null)
        {
            top.Fault("frameRate", $"must be a rate such as \"24000/1001\", \"23.976\" or 25, not {JsonObjectReader.Describe(element.Value)}");
            return null;
        }
        if (!FrameRate.TryParse(text, out FrameRate rate, out string error))
        {
            top.Fault("frameRate", error);
            return null;
        }
        return rate;
    }

    private ControlConfig ReadControl(JsonObjectReader top)
    {
        JsonElement? element = top.Element("control", required: false);
        if (element is null) return new ControlConfig("0.0.0.0", 8000);
        var reader = JsonObjectReader.Open(element.Value, "control", faults, "bind", "port", "allowFrom");
        string bind = CommonFields.Bind(reader) ?? "0.0.0.0";
        int port = reader.Integer("port", required: false, 1, 65535) ?? 8000;
        var allowed = new List<Ipv4Network>();
        foreach ((JsonElement item, string itemPath) in reader.Array("allowFrom", required: false))
        {
            if (item.ValueKind == JsonValueKind.String && Ipv4Network.TryParse(item.GetString()!, out Ipv4Network network))
                allowed.Add(network);
            else
                faults.Add(new ConfigFault(itemPath, $"must be an IPv4 address or network such as \"10.0.0.5\" or \"192.168.1.0/24\", not {JsonObjectReader.Describe(item)}"));
        }
        return new ControlConfig(bind, port) { AllowedSenders = allowed };
    }

    private string? ReadWorld(JsonObjectReader top)
    {
        JsonElement? element = top.Element("world", required: false);
        if (element is null) return null;
        var reader = JsonObjectReader.Open(element.Value, "world", faults, "scene");
        string? scene = reader.String("scene", required: true);
        if (scene is null) return null;
        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, scene));
        if (!File.Exists(full))
        {
            reader.Fault("scene", $"file '{scene}' does not exist (looked for {full})");
            return null;
        }
        return full;
    }

    private string ReadTakes(JsonObjectReader top)
    {
        string fallback = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, "takes",
            (sourcePath.Length == 0 ? "stage" : System.IO.Path.GetFileNameWithoutExtension(sourcePath)) + ".sqlite"));
        JsonElement? element = top.Element("takes", required: false);
        if (element is null) return fallback;
        var reader = JsonObjectReader.Open(element.Value, "takes", faults, "database");
        string? database = reader.String("database", required: false);
        return database is null ? fallback : System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, database));
    }

    private T? FaultNull<T>(string path, string message) where T : class
    {
        faults.Add(new ConfigFault(path, message));
        return null;
    }

    private static string Fmt(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
