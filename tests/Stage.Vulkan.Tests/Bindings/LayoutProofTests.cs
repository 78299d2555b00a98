using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Stage.Vulkan.Native;

namespace Stage.Vulkan.Tests.Bindings;

/// <summary>
/// The layout proof: a C program compiled by gcc against the Khronos headers prints sizeof and
/// offsetof of every generated type and field; each must equal the layout the runtime gives the C# type.
/// </summary>
public sealed class LayoutProofTests
{
    private static readonly VkTypeLayout[] Structs = VkLayoutTable.Structs();
    private static readonly VkTypeLayout[] Scalars = VkLayoutTable.Scalars();

    [Fact]
    public void Every_struct_size_and_field_offset_matches_the_C_headers()
    {
        var c = new StringBuilder();
        c.Append("#include <stddef.h>\n#include <stdio.h>\n#include <vulkan/vulkan.h>\n\nint main(void)\n{\n");
        foreach (var t in Scalars.Concat(Structs))
        {
            c.Append(CultureInfo.InvariantCulture, $"    printf(\"{t.Name} %zu\\n\", sizeof({t.Name}));\n");
            foreach (var f in t.Fields)
            {
                c.Append(CultureInfo.InvariantCulture, $"    printf(\"{t.Name}.{f.Name} %zu\\n\", offsetof({t.Name}, {f.Name}));\n");
            }
        }
        c.Append("    return 0;\n}\n");

        var native = ParseOutput(CompileAndRun(c.ToString()));
        var expected = new List<(string Key, int Value)>();
        foreach (var t in Scalars.Concat(Structs))
        {
            expected.Add((t.Name, t.Size));
            expected.AddRange(t.Fields.Select(f => ($"{t.Name}.{f.Name}", f.Offset)));
        }

        var mismatches = expected
            .Where(e => !native.TryGetValue(e.Key, out var n) || n != e.Value)
            .Select(e => $"{e.Key}: C# {e.Value}, C {(native.TryGetValue(e.Key, out var n) ? n : "missing")}")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(expected.Count, native.Count);
        // The proof covers the shapes that are easy to get wrong: unions, inline arrays, char arrays, function pointers.
        string[] mustCover = ["VkClearValue", "VkClearColorValue", "VkPhysicalDeviceMemoryProperties", "VkPhysicalDeviceProperties",
            "VkPhysicalDeviceVulkan12Properties", "VkDebugUtilsMessengerCreateInfoEXT", "VkAllocationCallbacks", "VkGraphicsPipelineCreateInfo",
            "VkDependencyInfo", "VkRenderingInfo"];
        Assert.All(mustCover, name => Assert.Contains(Structs, t => t.Name == name));
    }

    [Fact]
    public void The_layout_table_covers_every_generated_type_and_field()
    {
        var tabled = Structs.ToDictionary(t => t.Name, t => t.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal));
        var scalarNames = Scalars.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var generated = typeof(VkInstance).Assembly.GetTypes()
            .Where(t => t.Namespace == "Stage.Vulkan.Native" && t.IsValueType && t.IsPublic && !t.IsGenericType)
            .ToList();
        Assert.NotEmpty(generated);
        foreach (var type in generated)
        {
            if (scalarNames.Contains(type.Name)) continue;
            Assert.True(tabled.TryGetValue(type.Name, out var fields), $"{type.Name} is not in the layout table");
            var declared = type.GetFields(BindingFlags.Instance | BindingFlags.Public)
                .Select(f => f.Name.TrimStart('@')).ToHashSet(StringComparer.Ordinal);
            Assert.True(declared.SetEquals(fields!), $"{type.Name}: fields {string.Join(",", declared)} vs table {string.Join(",", fields!)}");
        }
    }

    private static Dictionary<string, int> ParseOutput(string output)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            result[parts[0]] = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return result;
    }

    private static string CompileAndRun(string source)
    {
        var dir = Directory.CreateTempSubdirectory("stage-vklayout-");
        try
        {
            var cPath = Path.Combine(dir.FullName, "layout.c");
            var exe = Path.Combine(dir.FullName, "layout");
            File.WriteAllText(cPath, source);
            Run("gcc", ["-std=c11", "-Wall", "-Werror", "-o", exe, cPath]);
            return Run(exe, []);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
