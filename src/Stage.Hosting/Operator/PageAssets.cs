using System.Reflection;

namespace Stage.Hosting.Operator;

/// <summary>
/// The page's files (HTML, CSS, JavaScript, icon), embedded in this assembly and served by Stage itself: the
/// page needs nothing from the internet, which a stage network usually cannot reach.
/// </summary>
public static class PageAssets
{
    private const string Prefix = "Stage.Hosting.Operator.Assets.";

    private static readonly Dictionary<string, (byte[] Bytes, string ContentType)> Files = Load();

    /// <summary>The names served ("index.html", "app.js" …).</summary>
    public static IReadOnlyCollection<string> Names => Files.Keys;

    /// <summary>The file <paramref name="name"/> and its media type, or false.</summary>
    public static bool TryGet(string name, out byte[] bytes, out string contentType)
    {
        if (Files.TryGetValue(name, out (byte[] Bytes, string ContentType) file))
        {
            (bytes, contentType) = file;
            return true;
        }
        (bytes, contentType) = ([], "");
        return false;
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        Assembly assembly = typeof(PageAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            string name = resource[Prefix.Length..];
            string type = Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            files[name] = (copy.ToArray(), type);
        }
        return files;
    }
}
