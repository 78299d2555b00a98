using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Stage.Core.Configuration;
using Stage.Tracking;
using Stage.Core.Frames;

namespace Stage.Cli;

/// <summary>
/// What <c>stage validate</c> reports about a valid stage, in one model printed either as text for
/// a person or as JSON for scripts, so the two can never disagree.
/// </summary>
public sealed record StageSummary(
    string Name,
    string File,
    string FrameRate,
    string FrameRateRational,
    IReadOnlyList<WallSummary> Walls,
    IReadOnlyList<OutputSummary> Outputs,
    IReadOnlyList<CameraSummary> Cameras,
    IReadOnlyList<SourceSummary> TrackingSources,
    string Control,
    string? World,
    string Takes,
    RenderSummary Render,
    string WorkingSpace,
    ClusterSummary? Cluster = null)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Readable in a terminal and still valid JSON: apostrophes and '×' stay as they are.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Summarises a valid stage.</summary>
    public static StageSummary From(StageConfig config) => new(
        config.Name,
        config.SourcePath,
        config.FrameRate.ToString(),
        config.FrameRate.ToRationalString(),
        config.Walls.Select(w => WallSummary.From(w, config)).ToList(),
        config.Outputs.Select(OutputSummary.From).ToList(),
        config.Cameras.Select(c => CameraSummary.From(c, config)).ToList(),
        config.TrackingSources.Select(SourceSummary.From).ToList(),
        $"OSC on {config.Control.BindAddress}:{config.Control.Port} (UDP, and TCP with SLIP framing)",
        config.WorldScenePath,
        config.TakeDatabasePath,
        RenderSummary.From(config),
        FormattableString.Invariant($"scene-linear {Stage.Core.Colour.OutputColour.Name(config.Render.WorkingSpace)}, 1.0 = {(config.Render.ReferenceWhiteNits is { } w ? $"{w:0.#} nits on every output" : "each output's reference white (203 nits HDR, 100 SDR)")}"),
        config.Cluster is { } cluster ? ClusterSummary.From(cluster) : null);

    /// <summary>The summary as indented JSON, with the configuration's warnings (<c>[{"path", "message"}]</c>).</summary>
    public string ToJson(IReadOnlyList<ConfigFault>? warnings = null) => JsonSerializer.Serialize(
        new { valid = true, stage = this, warnings = (warnings ?? []).Select(w => new { path = w.Path, message = w.Message }) }, JsonOptions);

    /// <summary>Faults as JSON: <c>{"valid": false, "faults": [{"path", "message"}]}</c>.</summary>
    public static string FaultsToJson(string file, IReadOnlyList<ConfigFault> faults) =>
        JsonSerializer.Serialize(new { valid = false, file, faults = faults.Select(f => new { path = f.Path, message = f.Message }) }, JsonOptions);

    /// <summary>The summary as text for a person.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(Inv($"Stage '{Name}' is valid ({File})"));
        text.AppendLine(Inv($"Frame rate  {FrameRate} fps ({FrameRateRational})"));
        text.AppendLine();
        text.AppendLine(Inv($"Walls ({Walls.Count})"));
        foreach (WallSummary w in Walls)
        {
            text.AppendLine(Inv($"  {w.Id}  {w.Kind}  {w.WidthM:0.000} × {w.HeightM:0.000} m  {w.PixelWidth} × {w.PixelHeight} px  pitch {w.PitchMm}  {w.PanelColumns} × {w.PanelRows} panels of {w.Panel}"));
            text.AppendLine(Inv($"      {w.Placement}"));
            text.AppendLine(Inv($"      carried by {(w.CarriedBy.Count == 0 ? "no output" : string.Join(", ", w.CarriedBy))}"));
            if (w.Cdl is not null) text.AppendLine(Inv($"      outer grade (ASC CDL) {w.Cdl}"));
        }
        text.AppendLine();
        text.AppendLine(Inv($"Outputs ({Outputs.Count})"));
        foreach (OutputSummary o in Outputs)
        {
            text.AppendLine(Inv($"  {o.Id}  {o.PixelWidth} × {o.PixelHeight} px  {o.BitDepth}-bit  {o.UsedPercent:0.0} % of the canvas used"));
            text.AppendLine(Inv($"      colour {o.Colour}"));
            foreach (RegionSummary r in o.Regions)
                text.AppendLine(Inv($"      wall {r.Wall} {r.WallPixels} → canvas {r.CanvasPixels}"));
        }
        text.AppendLine();
        text.AppendLine(Inv($"Cameras ({Cameras.Count}, in priority order)"));
        foreach (CameraSummary c in Cameras)
        {
            text.AppendLine(Inv($"  {c.Id}  {c.FocalLengthMm:0.#} mm on a {c.SensorWidthMm:0.00} × {c.SensorHeightMm:0.00} mm sensor (field of view {c.HorizontalFovDeg:0.0}° × {c.VerticalFovDeg:0.0}°)"));
            text.AppendLine(Inv($"      inner frustum {c.InnerWidthPx} × {c.InnerHeightPx} px, overscan {c.OverscanPercent:0.#} %, tracked by {c.Source}"));
            if (c.Cdl is not null) text.AppendLine(Inv($"      inner grade (ASC CDL) {c.Cdl}"));
        }
        text.AppendLine();
        text.AppendLine(Inv($"Tracking sources ({TrackingSources.Count})"));
        foreach (SourceSummary s in TrackingSources)
            text.AppendLine(Inv($"  {s.Id}  {s.Kind}  {s.Endpoint}:{s.Port}  delay {s.DelayMs:0.###} ms  {s.Detail}"));
        text.AppendLine();
        text.AppendLine(Inv($"Colour      {WorkingSpace}"));
        text.AppendLine(Inv($"Control     {Control}"));
        text.AppendLine(Inv($"World       {World ?? "none (an empty world)"}"));
        text.AppendLine(Inv($"Takes       {Takes}"));
        text.AppendLine(Inv($"Render      {Render.MsaaSamples}× MSAA, {Render.FramesInFlight} frames in flight, soft edge {Render.SoftEdgePercent:0.##} %, outer eye {Render.OuterEyeM}"));
        text.AppendLine(Inv($"            {Render.Outer}"));
        if (Cluster is { } c2)
        {
            text.AppendLine();
            text.AppendLine(Inv($"Cluster '{c2.Name}' on {string.Join(", ", c2.Servers)}: {c2.Nodes.Count} nodes, barrier timeout {c2.BarrierTimeoutMs:0.#} ms, world snapshot every {c2.SnapshotEverySeconds:0.#} s"));
            foreach (ClusterNodeSummary n in c2.Nodes)
                text.AppendLine(Inv($"  {n.Id}{(n.Primary ? "  primary (tracking, control, takes)" : "")}  draws {(n.Outputs.Count == 0 ? "no output" : string.Join(", ", n.Outputs))}"));
        }
        return text.ToString();
    }

    private static string Inv(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The render cluster in a summary.</summary>
public sealed record ClusterSummary(string Name, IReadOnlyList<string> Servers, double BarrierTimeoutMs, double SnapshotEverySeconds, IReadOnlyList<ClusterNodeSummary> Nodes)
{
    /// <summary>Summarises a cluster section.</summary>
    public static ClusterSummary From(ClusterConfig cluster) => new(cluster.Name, cluster.ServerUrls, cluster.BarrierTimeoutMs, cluster.SnapshotEverySeconds,
        cluster.Nodes.Select(n => new ClusterNodeSummary(n.Id, n.Id == cluster.PrimaryId, n.Outputs)).ToList());
}

/// <summary>One cluster node in a summary.</summary>
public sealed record ClusterNodeSummary(string Id, bool Primary, IReadOnlyList<string> Outputs);

/// <summary>One wall in a summary.</summary>
public sealed record WallSummary(string Id, string Kind, double WidthM, double HeightM, int PixelWidth, int PixelHeight, string PitchMm,
    int PanelColumns, int PanelRows, string Panel, string Placement, IReadOnlyList<string> CarriedBy, string? Cdl)
{
    /// <summary>A grade as "SOP (…)(…)(…) SAT x", or null for the identity.</summary>
    public static string? CdlText(Stage.Core.Colour.AscCdl cdl) => cdl.IsIdentity ? null : $"SOP {cdl.SopText()} SAT {cdl.SatText()}";

    /// <summary>Summarises a wall, with the outputs that carry its pixels.</summary>
    public static WallSummary From(Wall wall, StageConfig config)
    {
        string placement = wall switch
        {
            FlatWall flat => FormattableString.Invariant($"centre ({flat.CentreM.X:0.###}, {flat.CentreM.Y:0.###}, {flat.CentreM.Z:0.###}) m, facing {flat.Orientation}"),
            CurvedWall curved => FormattableString.Invariant($"arc centre ({curved.CentreXZM.X:0.###}, {curved.CentreXZM.Y:0.###}) m, radius {curved.RadiusM:0.###} m, bearings {curved.StartDeg:0.##}° to {curved.EndDeg:0.##}° ({curved.SpanDeg:0.##}°), {curved.Columns} flat columns of {curved.ChordM * 1000:0.0} mm, base {curved.BaseM:0.###} m"),
            _ => "",
        };
        string pitch = Math.Abs(wall.Panel.PitchXMm - wall.Panel.PitchYMm) < 1e-6
            ? FormattableString.Invariant($"{wall.Panel.PitchXMm:0.00} mm")
            : FormattableString.Invariant($"{wall.Panel.PitchXMm:0.00} × {wall.Panel.PitchYMm:0.00} mm");
        List<string> carriedBy = config.Outputs.Where(o => o.Regions.Any(r => r.WallId == wall.Id)).Select(o => o.Id).ToList();
        return new WallSummary(wall.Id, wall.Kind, wall.WidthM, wall.HeightM, wall.PixelWidth, wall.PixelHeight, pitch,
            wall.PanelColumns, wall.PanelRows, wall.Panel.ToString(), placement, carriedBy, CdlText(wall.Cdl));
    }
}

/// <summary>One output canvas in a summary.</summary>
public sealed record OutputSummary(string Id, int PixelWidth, int PixelHeight, int BitDepth, double UsedPercent, IReadOnlyList<RegionSummary> Regions, string Colour)
{
    /// <summary>Summarises an output.</summary>
    public static OutputSummary From(OutputCanvas output)
    {
        long used = output.Regions.Sum(r => r.WallRect.Area);
        return new OutputSummary(output.Id, output.PixelWidth, output.PixelHeight, output.BitDepth, 100.0 * used / output.Bounds.Area,
            output.Regions.Select(r => new RegionSummary(r.WallId, r.WallRect.ToString(), r.CanvasRect.ToString())).ToList(), output.Colour.ToString());
    }
}

/// <summary>One region of an output in a summary.</summary>
public sealed record RegionSummary(string Wall, string WallPixels, string CanvasPixels);

/// <summary>One camera in a summary.</summary>
public sealed record CameraSummary(string Id, double FocalLengthMm, double SensorWidthMm, double SensorHeightMm, double HorizontalFovDeg,
    double VerticalFovDeg, double OverscanPercent, int InnerWidthPx, int InnerHeightPx, string Source, string? Cdl)
{
    /// <summary>Summarises a camera.</summary>
    public static CameraSummary From(CameraConfig camera, StageConfig config)
    {
        TrackingSourceConfig? source = config.FindSource(camera.SourceId);
        string sourceText = source is null ? camera.SourceId : $"{source.Id} ({source.Kind}, tracked id '{camera.TrackedId}')";
        return new CameraSummary(camera.Id, camera.FocalLengthMm, camera.SensorWidthMm, camera.SensorHeightMm, camera.HorizontalFovDeg,
            camera.VerticalFovDeg, camera.OverscanPercent, camera.InnerWidthPx, camera.InnerHeightPx, sourceText, WallSummary.CdlText(camera.Cdl));
    }
}

/// <summary>One tracking source in a summary.</summary>
public sealed record SourceSummary(string Id, string Kind, string Endpoint, int Port, double DelayMs, string Detail)
{
    /// <summary>Summarises a source.</summary>
    public static SourceSummary From(TrackingSourceConfig source)
    {
        string detail = TrackingProtocols.Find(source.Kind)?.Describe(source) ?? "";
        return new SourceSummary(source.Id, source.Kind, source.Endpoint, source.Port, source.DelayMs, detail);
    }
}

/// <summary>The render section as it will run: MSAA, frames in flight, soft edge and the outer view's eye and face size.</summary>
/// <param name="MsaaSamples">Samples per pixel asked for (a GPU that does not offer it lowers it, with a warning at run start).</param>
/// <param name="FramesInFlight">Frames the GPU may work on at once.</param>
/// <param name="SoftEdgePercent">The inner frustum's soft edge, percent of the image.</param>
/// <param name="OuterEyeM">The outer eye, metres.</param>
/// <param name="OuterFaceSizePx">Pixels along each outer cube face.</param>
/// <param name="OuterNeededFaceSizePx">The face size the walls need for at most 2 LED pixels per texel.</param>
/// <param name="OuterLedPixelsPerTexel">LED pixels along one outer texel at the densest wall point.</param>
/// <param name="OuterFaceSizeSource">"configuration", "walls" or "walls, capped".</param>
/// <param name="Outer">The outer view's line as printed.</param>
public sealed record RenderSummary(int MsaaSamples, int FramesInFlight, double SoftEdgePercent, string OuterEyeM, int OuterFaceSizePx,
    int OuterNeededFaceSizePx, double OuterLedPixelsPerTexel, string OuterFaceSizeSource, string Outer)
{
    /// <summary>Summarises the render section of <paramref name="config"/>.</summary>
    public static RenderSummary From(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        RenderConfig render = config.Render;
        OuterFaceChoice outer = OuterResolution.Choose(config);
        return new RenderSummary(render.MsaaSamples, render.FramesInFlight, render.SoftEdgePercent,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{render.OuterEyeM.X}, {render.OuterEyeM.Y}, {render.OuterEyeM.Z}] m"),
            outer.FaceSizePx, outer.NeededPx, Math.Round(outer.LedPixelsPerTexel, 2), outer.Source, outer.ToString());
    }
}
