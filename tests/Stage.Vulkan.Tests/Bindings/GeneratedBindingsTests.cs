using System.Text;

namespace Stage.Vulkan.Tests.Bindings;

public sealed class GeneratedBindingsTests
{
    [Fact]
    public void Committed_bindings_equal_a_fresh_generation_from_vk_xml()
    {
        var temp = Directory.CreateTempSubdirectory("stage-vkgen-");
        try
        {
            VkGen.Generator.Run(VkPaths.Registry, VkPaths.List, temp.FullName);
            var fresh = Directory.GetFiles(temp.FullName, "*.g.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            var committed = Directory.GetFiles(VkPaths.Generated, "*.g.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(fresh, committed);
            var differing = new StringBuilder();
            foreach (var name in fresh)
            {
                var expected = File.ReadAllText(Path.Combine(temp.FullName, name!));
                var actual = File.ReadAllText(Path.Combine(VkPaths.Generated, name!));
                if (expected != actual) differing.Append(name).Append(' ');
            }
            Assert.True(differing.Length == 0, $"stale generated files (run tools/stage gen-vulkan): {differing}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var first = VkGen.Generator.Generate(VkPaths.Registry, VkPaths.List);
        var second = VkGen.Generator.Generate(VkPaths.Registry, VkPaths.List);
        Assert.Equal(first, second);
    }

    [Fact]
    public void An_unknown_command_in_the_list_is_reported_with_file_and_line()
    {
        var list = Path.GetTempFileName();
        try
        {
            File.WriteAllText(list, "# Stage\ncommand vkCreateInstance\ncommand vkMakeCoffee\n");
            var e = Assert.Throws<InvalidDataException>(() => VkGen.Generator.Generate(VkPaths.Registry, list));
            Assert.Contains(":3:", e.Message);
            Assert.Contains("vkMakeCoffee", e.Message);
        }
        finally
        {
            File.Delete(list);
        }
    }
}
