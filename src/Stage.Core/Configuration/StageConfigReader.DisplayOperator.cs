using System.Globalization;
using System.Text.Json;

namespace Stage.Core.Configuration;

// The display section (monitors, present mode) and the operator section (shortcuts, camera).
internal sealed partial class StageConfigReader
{
    private DisplayConfig ReadDisplay(JsonObjectReader top, List<OutputCanvas> outputs)
    {
        JsonElement? element = top.Element("display", required: false);
        if (element is null) return new DisplayConfig();
        var reader = JsonObjectReader.Open(element.Value, "display", faults, "presentMode", "outputs");
        if (!reader.IsValid) return new DisplayConfig();
        string? mode = reader.Choice("presentMode", required: false, "fifo", "mailbox", "immediate");
        var list = new List<OutputDisplayConfig>();
        foreach ((JsonElement item, string itemPath) in reader.Array("outputs", required: false))
        {
            var output = JsonObjectReader.Open(item, itemPath, faults, "output", "monitor", "refreshHz", "overlay");
            if (!output.IsValid) continue;
            string? id = output.String("output", required: true);
            string? monitor = null;
            if (output.Element("monitor", required: false) is JsonElement monitorElement)
            {
                if (monitorElement.ValueKind == JsonValueKind.String && monitorElement.GetString()!.Length > 0) monitor = monitorElement.GetString();
                else if (monitorElement.ValueKind == JsonValueKind.Number && monitorElement.TryGetInt32(out int index) && index >= 0)
                    monitor = index.ToString(CultureInfo.InvariantCulture);
                else output.Fault("monitor", $"must be a monitor name or index as `stage monitors` lists it, not {JsonObjectReader.Describe(monitorElement)}");
            }
            int? refresh = output.Integer("refreshHz", required: false, 1, 1000);
            bool overlay = output.Boolean("overlay", required: false) ?? monitor is null;
            if (id is null) continue;
            if (outputs.All(o => o.Id != id))
            {
                output.Fault("output", $"names output '{id}', which \"outputs\" does not declare (declared: {string.Join(", ", outputs.Select(o => o.Id))})");
                continue;
            }
            if (list.Any(o => o.OutputId == id))
            {
                output.Fault("output", $"output '{id}' is listed twice");
                continue;
            }
            if (refresh is not null && monitor is null) output.Fault("refreshHz", "applies only to an output on a monitor (add \"monitor\")");
            list.Add(new OutputDisplayConfig(id, monitor, refresh, overlay));
        }
        return new DisplayConfig
        {
            PresentMode = mode switch { "mailbox" => PresentModeSetting.Mailbox, "immediate" => PresentModeSetting.Immediate, _ => PresentModeSetting.Fifo },
            Outputs = list,
        };
    }

    /// <summary>Keys the virtual camera flies with (no modifier): a plain shortcut on one of them would do two things.</summary>
    private static readonly string[] FlyingKeys = ["W", "A", "S", "D", "Q", "E", "UP", "DOWN", "LEFT", "RIGHT", "HOME"];

    private OperatorConfig ReadOperator(JsonObjectReader top, List<CameraConfig> cameras, List<TrackingSourceConfig> sources)
    {
        JsonElement? element = top.Element("operator", required: false);
        if (element is null) return new OperatorConfig();
        var reader = JsonObjectReader.Open(element.Value, "operator", faults, "shortcuts", "camera", "web");
        if (!reader.IsValid) return new OperatorConfig();
        string? camera = reader.String("camera", required: false);
        if (camera is not null && cameras.Count > 0 && cameras.All(c => c.Id != camera))
            reader.Fault("camera", $"names camera '{camera}', which \"cameras\" does not declare (declared: {string.Join(", ", cameras.Select(c => c.Id))})");
        var shortcuts = new Dictionary<OperatorAction, KeyChord>(OperatorConfig.DefaultShortcuts);
        if (reader.Element("shortcuts", required: false) is JsonElement shortcutElement)
        {
            string names = string.Join(", ", Enum.GetValues<OperatorAction>().Select(OperatorConfig.NameOf));
            if (shortcutElement.ValueKind != JsonValueKind.Object)
            {
                reader.Fault("shortcuts", $"must be an object mapping actions ({names}) to keys such as \"F5\" or \"Ctrl+R\"");
            }
            else
            {
                foreach (JsonProperty property in shortcutElement.EnumerateObject())
                {
                    string path = $"operator.shortcuts.{property.Name}";
                    OperatorAction? action = Enum.GetValues<OperatorAction>().Cast<OperatorAction?>().FirstOrDefault(a => OperatorConfig.NameOf(a!.Value) == property.Name);
                    if (action is null)
                    {
                        faults.Add(new ConfigFault(path, $"is not an action (actions: {names})"));
                        continue;
                    }
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        faults.Add(new ConfigFault(path, $"must be a key such as \"F5\" or \"Ctrl+R\", not {JsonObjectReader.Describe(property.Value)}"));
                        continue;
                    }
                    if (!KeyChord.TryParse(property.Value.GetString()!, out KeyChord chord, out string error))
                    {
                        faults.Add(new ConfigFault(path, error));
                        continue;
                    }
                    shortcuts[action.Value] = chord;
                }
            }
        }
        foreach (IGrouping<KeyChord, KeyValuePair<OperatorAction, KeyChord>> same in shortcuts.GroupBy(p => p.Value).Where(g => g.Count() > 1))
            faults.Add(new ConfigFault("operator.shortcuts", $"{same.Key} is given to {string.Join(" and ", same.Select(p => OperatorConfig.NameOf(p.Key)))}; one key, one action"));
        if (sources.Any(s => s.FliesWithKeys))
        {
            foreach ((OperatorAction action, KeyChord chord) in shortcuts.OrderBy(p => p.Key))
            {
                if (chord.Modifiers == KeyModifiers.None && FlyingKeys.Any(k => KeyChord.Code(k) == chord.KeyCode))
                    faults.Add(new ConfigFault($"operator.shortcuts.{OperatorConfig.NameOf(action)}",
                        $"{chord} flies the virtual camera; give the shortcut a modifier (Ctrl+{chord}) or another key"));
            }
        }
        return new OperatorConfig { Shortcuts = shortcuts, CameraId = camera, Web = ReadOperatorWeb(reader) };
    }
}
