namespace Stage.Tests.Shared;

/// <summary>Finds files of the repository from a test's output folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries holding Stage.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path under the repository root.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stage.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Stage.sln not found above {AppContext.BaseDirectory}");
    }
}
