using System.Diagnostics;

namespace Stage.Benchmarks.Harnesses;

/// <summary>
/// The C baselines the benchmarks measure Stage against (ODE's C API, liblo), built with gcc from the sources
/// shipped beside the benchmark program (copied into its output folder) into a cache folder, again only when
/// a source is newer than its build. No walking up folders to find the repository.
/// </summary>
public static class NativeHarness
{
    /// <summary>The ODE scenes (tools/Stage.Benchmarks/Harnesses/ode-scenes.c) against Debian's libode-dev.</summary>
    public static string? OdeScenes(TextWriter error) => Build("ode-scenes", ["-lode", "-lm"], "gcc and libode-dev", error);

    /// <summary>liblo's pose receiver (tools/Stage.Benchmarks/Harnesses/liblo-pose-receiver.c) against liblo.so.7.</summary>
    public static string? LibloPoseReceiver(TextWriter error) => Build("liblo-pose-receiver", ["-l:liblo.so.7", "-lpthread"], "gcc and liblo7", error);

    /// <summary>Builds <c>NAME.c</c> with <paramref name="libraries"/>; the binary's path, or null with the compiler's messages on <paramref name="error"/>.</summary>
    private static string? Build(string name, string[] libraries, string needs, TextWriter error)
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Harnesses", name + ".c");
        if (!File.Exists(source))
        {
            error.WriteLine($"stage bench: the harness source {source} is missing (the benchmark build copies it there)");
            return null;
        }
        string folder = Path.Combine(AppContext.BaseDirectory, "native");
        string binary = Path.Combine(folder, name);
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(source)) return binary;
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("gcc", ["-O2", "-Wall", "-Werror", "-o", binary, source, .. libraries]) { RedirectStandardError = true };
        using Process gcc = Process.Start(start) ?? throw new InvalidOperationException("gcc did not start");
        string messages = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode == 0) return binary;
        error.WriteLine($"stage bench: building the {name} harness failed (needs {needs}; tools/setup installs them):\n{messages}");
        return null;
    }
}
