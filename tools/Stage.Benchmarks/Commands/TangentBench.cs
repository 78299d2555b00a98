using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Stage.Engine.Statistics;
using Stage.Render.Meshes;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench tangents [folder]</c>: MikkTSpace tangent generation (<see cref="MeshData.WithGeneratedTangents"/>) for
/// every .glb of a folder (default: the demo street's models), against loading the same file (<see cref="GltfLoader"/>:
/// parse, decode, build the meshes) in the same run: median times per file and the ratio generation / load.
/// </summary>
public static class TangentBench
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var folder = new Argument<string?>("folder") { Description = "A folder of .glb models (default: stage-configs/worlds/street).", Arity = ArgumentArity.ZeroOrOne };
        var runs = new Option<int>("--runs") { Description = "Timed runs per file (after one warm-up).", DefaultValueFactory = _ => 9 };
        var command = new Command("tangents",
            "MikkTSpace tangent generation for every .glb of a folder (default: the demo street's models) against loading the same file, " +
            "medians per file and the ratio generation / load.") { folder, runs };
        command.SetAction(result => Run(result.GetValue(folder), result.GetValue(runs), output, error));
        return command;
    }

    private static int Run(string? folderArgument, int runs, TextWriter output, TextWriter error)
    {
        string folder = folderArgument ?? Path.Combine(Stage.Cli.RepositoryLocator.Root, "stage-configs", "worlds", "street");
        if (!Directory.Exists(folder))
        {
            error.WriteLine($"stage bench tangents: {folder}: no such folder");
            return 2;
        }
        string[] files = [.. Directory.GetFiles(folder, "*.glb").OrderBy(f => f, StringComparer.Ordinal)];
        if (files.Length == 0 || runs < 1)
        {
            error.WriteLine($"stage bench tangents: {folder}: no .glb files (or --runs < 1)");
            return 2;
        }
        output.WriteLine($"MikkTSpace tangents against glTF load, {runs} runs per file (medians), {folder}");
        output.WriteLine($"  {"file",-24} {"vertices",9} {"triangles",9} {"split",6} {"load ms",9} {"tangents ms",12} {"tangents/load",14}");
        double totalLoad = 0, totalTangents = 0;
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            var load = new RollingPercentiles(runs);
            var tangents = new RollingPercentiles(runs);
            int vertices = 0, triangles = 0, split = 0;
            for (int run = -1; run < runs; run++)
            {
                long t0 = Stopwatch.GetTimestamp();
                GltfModel model = GltfLoader.LoadGlb(bytes, file, folder);
                double loadMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                t0 = Stopwatch.GetTimestamp();
                int after = 0;
                foreach (GltfMesh mesh in model.Meshes) after += mesh.Mesh.WithGeneratedTangents().VertexCount;
                double tangentMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (run < 0)
                {
                    vertices = model.Meshes.Sum(m => m.Mesh.VertexCount);
                    triangles = model.Meshes.Sum(m => m.Mesh.TriangleCount);
                    split = after - vertices;
                    continue;
                }
                load.Record(loadMs);
                tangents.Record(tangentMs);
            }
            double l = load.Summarise().P50, t = tangents.Summarise().P50;
            totalLoad += l;
            totalTangents += t;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Path.GetFileName(file),-24} {vertices,9} {triangles,9} {split,6} {l,9:0.000} {t,12:0.000} {t / l,13:0.000}×"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"all",-24} {"",9} {"",9} {"",6} {totalLoad,9:0.000} {totalTangents,12:0.000} {totalTangents / totalLoad,13:0.000}×"));
        return 0;
    }
}
