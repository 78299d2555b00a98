using System.Text;
using System.Xml;
using Stage.Core.Colour;

namespace Stage.Takes.Export;

/// <summary>
/// A take's grade for one camera as an ASC Color Decision List file (<c>.cdl</c>, ASC CDL v1.2 XML: a ColorDecisionList
/// holding one ColorDecision whose ColorCorrection id is the clip name and camera) — the grade at the take's last frame.
/// </summary>
public static class CdlExporter
{
    /// <summary>The XML namespace of ASC CDL v1.2.</summary>
    public const string Namespace = "urn:ASC:CDL:v1.2";

    /// <summary>Writes <paramref name="cdl"/> as take <paramref name="take"/>'s grade of camera <paramref name="camera"/>.</summary>
    public static string Write(TakeInfo take, string camera, AscCdl cdl)
    {
        ArgumentNullException.ThrowIfNull(take);
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(text, settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("ColorDecisionList", Namespace);
            writer.WriteStartElement("ColorDecision", Namespace);
            writer.WriteStartElement("ColorCorrection", Namespace);
            writer.WriteAttributeString("id", $"{take.ClipName}_{camera}");
            writer.WriteElementString("Description", Namespace, $"{take.Day:yyyy-MM-dd} scene {take.Scene} take {take.TakeNumber} camera {camera}, {take.Start}–{take.End}");
            writer.WriteStartElement("SOPNode", Namespace);
            writer.WriteElementString("Slope", Namespace, $"{AscCdl.F(cdl.SlopeR)} {AscCdl.F(cdl.SlopeG)} {AscCdl.F(cdl.SlopeB)}");
            writer.WriteElementString("Offset", Namespace, $"{AscCdl.F(cdl.OffsetR)} {AscCdl.F(cdl.OffsetG)} {AscCdl.F(cdl.OffsetB)}");
            writer.WriteElementString("Power", Namespace, $"{AscCdl.F(cdl.PowerR)} {AscCdl.F(cdl.PowerG)} {AscCdl.F(cdl.PowerB)}");
            writer.WriteEndElement();
            writer.WriteStartElement("SatNode", Namespace);
            writer.WriteElementString("Saturation", Namespace, AscCdl.F(cdl.Saturation));
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal) + "\n";
    }
}
