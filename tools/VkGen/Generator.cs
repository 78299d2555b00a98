namespace VkGen;

/// <summary>Reads vk.xml and the list of what Stage uses, and writes the bindings.</summary>
internal static class Generator
{
    /// <summary>Generates every file in memory: file name → content.</summary>
    public static SortedDictionary<string, string> Generate(string registryPath, string listPath)
    {
        var registry = Registry.Load(registryPath);
        var selection = Selection.Read(listPath, registry);
        return new Emitter(registry, selection).Emit();
    }

    /// <summary>
    /// Generates into <paramref name="outputDirectory"/>: writes every file and removes any other
    /// <c>*.g.cs</c> there, so the folder holds exactly one generation.
    /// </summary>
    public static IReadOnlyList<string> Run(string registryPath, string listPath, string outputDirectory)
    {
        var files = Generate(registryPath, listPath);
        Directory.CreateDirectory(outputDirectory);
        foreach (var stale in Directory.GetFiles(outputDirectory, "*.g.cs"))
        {
            if (!files.ContainsKey(Path.GetFileName(stale))) File.Delete(stale);
        }
        var written = new List<string>();
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(outputDirectory, name);
            // Unchanged files are left alone so incremental builds stay incremental.
            if (!File.Exists(path) || File.ReadAllText(path) != content) File.WriteAllText(path, content);
            written.Add(path);
        }
        return written;
    }
}
