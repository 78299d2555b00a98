using System.Numerics;
using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Engine.Control;
using Stage.Hosting.World;

namespace Stage.Hosting.Operator;

/// <summary>
/// What does not change during a run, as JSON for the page (<c>GET /api/stage</c>): the stage's name and rate,
/// each wall's outline seen from above (for the map), the outputs, the cameras' sensors and lenses, the tracking
/// sources, the commands the page can send and the world's rule names. Built once at start.
/// </summary>
public static class StageDescription
{
    /// <summary>The description of <paramref name="stage"/>; <paramref name="hasWorld"/> says whether the run has a world.</summary>
    public static byte[] Build(StageConfig stage, CommandRegistry commands, bool hasWorld, double lossTimeoutMs)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(commands);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            json.WriteStartObject();
            json.WriteString("name", stage.Name);
            json.WriteString("frameRate", stage.FrameRate.ToString());
            json.WriteNumber("framesPerSecond", stage.FrameRate.FramesPerSecond);
            json.WriteString("tokenHeader", OperatorAccess.TokenHeader);
            json.WriteNumber("lossTimeoutMs", lossTimeoutMs);
            json.WriteStartArray("walls");
            foreach (Wall wall in stage.Walls) WriteWall(json, wall);
            json.WriteEndArray();
            json.WriteStartArray("outputs");
            foreach (OutputCanvas output in stage.Outputs)
            {
                json.WriteStartObject();
                json.WriteString("id", output.Id);
                WritePair(json, "pixels", output.PixelWidth, output.PixelHeight);
                json.WriteNumber("bitDepth", output.BitDepth);
                json.WriteStartArray("walls");
                foreach (string wall in output.Regions.Select(r => r.WallId).Distinct()) json.WriteStringValue(wall);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("cameras");
            foreach (CameraConfig camera in stage.Cameras)
            {
                json.WriteStartObject();
                json.WriteString("id", camera.Id);
                json.WriteString("source", camera.SourceId);
                WritePair(json, "sensorMm", camera.SensorWidthMm, camera.SensorHeightMm);
                json.WriteNumber("focalLengthMm", camera.FocalLengthMm);
                json.WriteNumber("overscanPercent", camera.OverscanPercent);
                WritePair(json, "innerResolution", camera.InnerWidthPx, camera.InnerHeightPx);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("sources");
            foreach (TrackingSourceConfig source in stage.TrackingSources)
            {
                json.WriteStartObject();
                json.WriteString("id", source.Id);
                json.WriteString("kind", source.Kind);
                json.WriteString("endpoint", source.Endpoint);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("commands");
            foreach (ControlCommand command in commands.Commands)
            {
                json.WriteStartObject();
                json.WriteString("address", command.Address);
                json.WriteString("signature", command.Signature);
                json.WriteString("description", command.Description);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("rules");
            if (hasWorld)
                foreach (string rule in StageWorldHost.RuleNames.Split(',', StringSplitOptions.TrimEntries)) json.WriteStringValue(rule);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// A wall seen from above, as [x, z] points in metres: a standing wall's bottom edge (a line, or the
    /// chords of a curved wall), a ceiling's four corners (closed).
    /// </summary>
    private static void WriteWall(Utf8JsonWriter json, Wall wall)
    {
        json.WriteStartObject();
        json.WriteString("id", wall.Id);
        json.WriteString("kind", wall.Kind);
        json.WriteNumber("widthM", wall.WidthM);
        json.WriteNumber("heightM", wall.HeightM);
        bool ceiling = wall is FlatWall { IsCeiling: true };
        json.WriteBoolean("closed", ceiling);
        json.WriteStartArray("pointsXZ");
        // Grid points are in pixels: one point per panel column edge is enough to draw a curve's chords.
        IEnumerable<(double Column, double Row)> grid = ceiling
            ? [(0, 0), (wall.PixelWidth, 0), (wall.PixelWidth, wall.PixelHeight), (0, wall.PixelHeight)]
            : Enumerable.Range(0, wall.PanelColumns + 1).Select(c => ((double)c * wall.Panel.PixelsX, (double)wall.PixelHeight));
        foreach ((double column, double row) in grid)
        {
            Vector3 point = wall.GridPointM(column, row);
            WritePair(json, null, Math.Round(point.X, 4), Math.Round(point.Z, 4));
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePair(Utf8JsonWriter json, string? name, double a, double b)
    {
        if (name is null) json.WriteStartArray();
        else json.WriteStartArray(name);
        json.WriteNumberValue(a);
        json.WriteNumberValue(b);
        json.WriteEndArray();
    }
}
