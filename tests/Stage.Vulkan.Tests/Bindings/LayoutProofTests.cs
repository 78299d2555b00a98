using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Stage.Vulkan.Tests.Bindings;

/// <summary>
/// The layout proof: a C program compiled by gcc against the Khronos headers prints sizeof and offsetof of
/// every Silk.NET.Vulkan struct Stage passes to the driver (each one Stage.Vulkan's code names, and every struct
/// reachable through their fields) and the size of every enum, flags and handle type among them; each must equal
/// the layout the runtime gives the C# type. C names come from Silk.NET's own <c>NativeName</c> attributes.
/// </summary>
public sealed class LayoutProofTests
{
    private sealed record FieldLayout(string CName, int Offset);
    private sealed record TypeLayout(string CName, int Size, IReadOnlyList<FieldLayout> Fields);

    private static readonly Assembly Silk = typeof(Silk.NET.Vulkan.Vk).Assembly;

    /// <summary>Every Silk.NET.Vulkan type Stage.Vulkan's code names: fields, signatures and locals of every method.</summary>
    private static HashSet<Type> TypesStageUses()
    {
        var seen = new HashSet<Type>();
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        void Note(Type? t)
        {
            while (t is not null && (t.IsPointer || t.IsByRef || t.IsArray)) t = t.GetElementType();
            if (t is null) return;
            if (Nullable.GetUnderlyingType(t) is { } inner) t = inner;
            if (t.IsFunctionPointer)
            {
                foreach (Type p in t.GetFunctionPointerParameterTypes()) Note(p);
                Note(t.GetFunctionPointerReturnType());
                return;
            }
            if (t.Assembly == Silk && t.Namespace == "Silk.NET.Vulkan" && t.IsValueType && seen.Add(t) && !t.IsEnum)
                foreach (FieldInfo f in t.GetFields(BindingFlags.Public | BindingFlags.Instance)) Note(f.FieldType);
        }
        foreach (Type type in typeof(GpuDevice).Assembly.GetTypes())
        {
            foreach (FieldInfo f in type.GetFields(All)) Note(f.FieldType);
            foreach (PropertyInfo p in type.GetProperties(All)) Note(p.PropertyType);
            foreach (MethodBase m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                foreach (ParameterInfo p in m.GetParameters()) Note(p.ParameterType);
                if (m is MethodInfo method) Note(method.ReturnType);
                foreach (LocalVariableInfo local in m.GetMethodBody()?.LocalVariables ?? []) Note(local.LocalType);
            }
        }
        // Fixed-size array fields are wrapper structs of their own (e.g. MemoryTypesBuffer): what they hold counts, not they.
        seen.RemoveWhere(t => NativeName(t, "Name") is null);
        return seen;
    }

    private static string? NativeName(MemberInfo member, string kind) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType.Name == "NativeNameAttribute" && a.ConstructorArguments.Count == 2)
            .FirstOrDefault(a => (string?)a.ConstructorArguments[0].Value == kind)?.ConstructorArguments[1].Value as string;

    private static TypeLayout Layout(Type type)
    {
        string cName = NativeName(type, "Name")!;
        int size = (int)typeof(System.Runtime.CompilerServices.Unsafe).GetMethod("SizeOf")!.MakeGenericMethod(type).Invoke(null, null)!;
        var fields = new List<FieldLayout>();
        if (!type.IsEnum && !IsHandle(type))
        {
            // Silk.NET spreads a C array of scalars over numbered fields (float32[4] → Float32_0 … Float32_3): the n-th of a name is element n.
            var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (FieldInfo f in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                string fieldName = NativeName(f, "Name") ?? throw new InvalidOperationException($"{type.Name}.{f.Name} has no native name");
                int n = occurrences[fieldName] = occurrences.GetValueOrDefault(fieldName, -1) + 1;
                bool spread = type.GetFields(BindingFlags.Public | BindingFlags.Instance).Count(g => NativeName(g, "Name") == fieldName) > 1;
                fields.Add(new FieldLayout(spread ? $"{fieldName}[{n}]" : fieldName, (int)Marshal.OffsetOf(type, f.Name)));
            }
        }
        return new TypeLayout(cName, size, fields);
    }

    private static bool IsHandle(Type type) => type.GetFields(BindingFlags.Public | BindingFlags.Instance) is [{ Name: "Handle" }];

    [Fact]
    public void Every_struct_stage_passes_to_the_driver_matches_the_C_headers_field_by_field()
    {
        List<TypeLayout> layouts = [.. TypesStageUses().Select(Layout).OrderBy(t => t.CName, StringComparer.Ordinal)];
        // VkBool32 is Silk.NET.Core's Bool32.
        layouts.Add(new TypeLayout("VkBool32", System.Runtime.CompilerServices.Unsafe.SizeOf<Silk.NET.Core.Bool32>(), []));
        var c = new StringBuilder();
        c.Append("#include <stddef.h>\n#include <stdio.h>\n#include <vulkan/vulkan.h>\n\nint main(void)\n{\n");
        foreach (TypeLayout t in layouts)
        {
            c.Append(CultureInfo.InvariantCulture, $"    printf(\"{t.CName} %zu\\n\", sizeof({t.CName}));\n");
            foreach (FieldLayout f in t.Fields)
                c.Append(CultureInfo.InvariantCulture, $"    printf(\"{t.CName}.{f.CName} %zu\\n\", offsetof({t.CName}, {f.CName}));\n");
        }
        c.Append("    return 0;\n}\n");

        Dictionary<string, int> native = ParseOutput(CompileAndRun(c.ToString()));
        var expected = new List<(string Key, int Value)>();
        foreach (TypeLayout t in layouts)
        {
            expected.Add((t.CName, t.Size));
            expected.AddRange(t.Fields.Select(f => ($"{t.CName}.{f.CName}", f.Offset)));
        }
        List<string> mismatches = [.. expected
            .Where(e => !native.TryGetValue(e.Key, out int n) || n != e.Value)
            .Select(e => $"{e.Key}: C# {e.Value}, C {(native.TryGetValue(e.Key, out int n) ? n : "missing")}")];
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(expected.Count, native.Count);
        // The shapes that are easy to get wrong — unions, inline arrays, char arrays, function pointers, 64-bit flags, the
        // extension structs Stage loads by hand — are among them, so the proof cannot pass by covering less.
        string[] mustCover = ["VkClearValue", "VkClearColorValue", "VkPhysicalDeviceMemoryProperties", "VkPhysicalDeviceProperties",
            "VkPhysicalDeviceVulkan12Properties", "VkDebugUtilsMessengerCreateInfoEXT", "VkGraphicsPipelineCreateInfo", "VkDependencyInfo",
            "VkRenderingInfo", "VkImageBlit", "VkSwapchainCreateInfoKHR", "VkPresentInfoKHR", "VkSurfaceCapabilitiesKHR", "VkAccessFlags2",
            "VkInstance", "VkSemaphoreSubmitInfo"];
        Assert.All(mustCover, name => Assert.Contains(layouts, t => t.CName == name));
    }

    private static Dictionary<string, int> ParseOutput(string output)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ');
            result[parts[0]] = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return result;
    }

    private static string CompileAndRun(string source)
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("stage-vklayout-");
        try
        {
            string cPath = Path.Combine(dir.FullName, "layout.c");
            string exe = Path.Combine(dir.FullName, "layout");
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
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} exited with {process.ExitCode}: {stderr.Result}\n{(file == "gcc" ? "" : stdout)}");
        return stdout;
    }
}
