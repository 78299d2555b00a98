using System.Globalization;

namespace Stage.Core.Colour;

/// <summary>
/// Reads <c>.cube</c> files (Adobe Cube LUT Specification 1.0, as Resolve writes them): TITLE, LUT_1D_SIZE (2 … 65,536) or
/// LUT_3D_SIZE (2 … 65), DOMAIN_MIN / DOMAIN_MAX (default 0 0 0 / 1 1 1), LUT_1D_INPUT_RANGE / LUT_3D_INPUT_RANGE (Resolve's
/// equivalent of the domain), comments after <c>#</c>, blank lines; then the table, one RGB triple per line. Every fault
/// is refused with its line.
/// </summary>
public static class CubeLutReader
{
    /// <summary>The largest 3D lattice taken (65³, what grading tools write at most).</summary>
    public const int Max3DSize = 65;

    /// <summary>The largest 1D table taken.</summary>
    public const int Max1DSize = 65536;

    /// <summary>Reads a file; throws <see cref="CubeLutException"/> naming the file and line of the first fault.</summary>
    public static CubeLut Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CubeLutException(path, 0, $"cannot be read: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Parses a file's text; <paramref name="path"/> names it in faults.</summary>
    public static CubeLut Parse(string text, string path)
    {
        string? title = null;
        int size1 = 0, size3 = 0, sizeLine = 0;
        (double, double, double) min = (0, 0, 0), max = (1, 1, 1);
        bool minSet = false, maxSet = false;
        List<float>? values = null;
        int expected = 0, lineNo = 0, lastDataLine = 0;
        using var reader = new StringReader(text);
        for (string? raw = reader.ReadLine(); raw is not null; raw = reader.ReadLine())
        {
            lineNo++;
            int hash = raw.IndexOf('#', StringComparison.Ordinal);
            string line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0) continue;
            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string key = parts[0];
            if (values is null && (char.IsLetter(key[0]) || key[0] == '_'))
            {
                switch (key)
                {
                    case "TITLE":
                        if (title is not null) throw Fault(lineNo, "TITLE given twice");
                        int q0 = line.IndexOf('"', StringComparison.Ordinal), q1 = line.LastIndexOf('"');
                        if (q0 < 0 || q1 <= q0) throw Fault(lineNo, "TITLE must be a quoted text, e.g. TITLE \"Wall A\"");
                        title = line[(q0 + 1)..q1];
                        break;
                    case "LUT_1D_SIZE":
                    case "LUT_3D_SIZE":
                        if (size1 > 0 || size3 > 0) throw Fault(lineNo, $"a second size ({key}); the size was given at line {sizeLine}");
                        bool is3 = key == "LUT_3D_SIZE";
                        int limit = is3 ? Max3DSize : Max1DSize;
                        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 2 || n > limit)
                            throw Fault(lineNo, $"{key} must be one whole number from 2 to {limit}");
                        if (is3) size3 = n; else size1 = n;
                        sizeLine = lineNo;
                        break;
                    case "DOMAIN_MIN":
                    case "DOMAIN_MAX":
                    case "LUT_1D_INPUT_RANGE":
                    case "LUT_3D_INPUT_RANGE":
                        if (key.EndsWith("INPUT_RANGE", StringComparison.Ordinal))
                        {
                            var (lo, hi) = (Number(parts, 1, 3, lineNo, key), Number(parts, 2, 3, lineNo, key));
                            min = (lo, lo, lo);
                            max = (hi, hi, hi);
                            minSet = maxSet = true;
                        }
                        else
                        {
                            var triple = (Number(parts, 1, 4, lineNo, key), Number(parts, 2, 4, lineNo, key), Number(parts, 3, 4, lineNo, key));
                            if (key == "DOMAIN_MIN") { if (minSet) throw Fault(lineNo, "DOMAIN_MIN given twice"); min = triple; minSet = true; }
                            else { if (maxSet) throw Fault(lineNo, "DOMAIN_MAX given twice"); max = triple; maxSet = true; }
                        }
                        break;
                    default:
                        throw Fault(lineNo, $"unknown keyword '{key}' (expected TITLE, LUT_1D_SIZE, LUT_3D_SIZE, DOMAIN_MIN, DOMAIN_MAX or a table row)");
                }
                continue;
            }
            if (values is null)
            {
                if (size1 == 0 && size3 == 0) throw Fault(lineNo, "a table row before LUT_1D_SIZE or LUT_3D_SIZE");
                if (min.Item1 >= max.Item1 || min.Item2 >= max.Item2 || min.Item3 >= max.Item3)
                    throw Fault(lineNo, "DOMAIN_MIN must be below DOMAIN_MAX in every channel");
                expected = size3 > 0 ? size3 * size3 * size3 : size1;
                values = new List<float>(expected * 3);
            }
            if (values.Count == expected * 3) throw Fault(lineNo, $"more rows than the {expected} the size gives");
            if (parts.Length != 3) throw Fault(lineNo, $"a table row must be three numbers (red green blue), found {parts.Length} value(s)");
            for (int i = 0; i < 3; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw Fault(lineNo, $"'{parts[i]}' is not a number");
                values.Add((float)v);
            }
            lastDataLine = lineNo;
        }
        if (size1 == 0 && size3 == 0) throw Fault(0, "no LUT_1D_SIZE or LUT_3D_SIZE");
        int rows = (values?.Count ?? 0) / 3;
        int want = size3 > 0 ? size3 * size3 * size3 : size1;
        if (rows < want) throw Fault(Math.Max(lastDataLine, lineNo), $"the table ends after {rows} of {want} rows");
        return new CubeLut(path, title, size3 > 0, size3 > 0 ? size3 : size1, min, max, values!.ToArray());

        CubeLutException Fault(int at, string reason) => new(path, at, reason);

        double Number(string[] parts, int index, int count, int at, string key)
        {
            if (parts.Length != count) throw Fault(at, $"{key} must be followed by {count - 1} numbers");
            if (!double.TryParse(parts[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw Fault(at, $"'{parts[index]}' is not a number");
            return v;
        }
    }
}
