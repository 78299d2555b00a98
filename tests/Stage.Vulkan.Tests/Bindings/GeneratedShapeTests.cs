using System.Reflection;
using System.Runtime.CompilerServices;
using Stage.Vulkan.Native;

namespace Stage.Vulkan.Tests.Bindings;

/// <summary>The rules of the issue that show in the C# types themselves.</summary>
public sealed class GeneratedShapeTests
{
    [Fact]
    public void Dispatchable_handles_are_pointer_sized_and_non_dispatchable_handles_are_64_bit()
    {
        Assert.Equal(typeof(nint), typeof(VkInstance).GetField("Handle")!.FieldType);
        Assert.Equal(typeof(nint), typeof(VkCommandBuffer).GetField("Handle")!.FieldType);
        Assert.Equal(typeof(ulong), typeof(VkBuffer).GetField("Handle")!.FieldType);
        Assert.Equal(typeof(ulong), typeof(VkDebugUtilsMessengerEXT).GetField("Handle")!.FieldType);
    }

    [Fact]
    public void Flags_take_their_width_from_the_registry()
    {
        Assert.Equal(typeof(ulong), Enum.GetUnderlyingType(typeof(VkAccessFlags2)));
        Assert.Equal(typeof(ulong), Enum.GetUnderlyingType(typeof(VkPipelineStageFlags2)));
        Assert.Equal(typeof(uint), Enum.GetUnderlyingType(typeof(VkImageUsageFlags)));
        Assert.Equal(typeof(int), Enum.GetUnderlyingType(typeof(VkResult)));
    }

    [Fact]
    public void Extension_enum_values_follow_the_registry_offset_formula()
    {
        // VK_EXT_debug_utils is extension 129: 1000000000 + 128 * 1000 + offset 4.
        Assert.Equal(1_000_128_004, (int)VkStructureType.VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT);
        // dir="-": VK_KHR_swapchain (extension 2), offset 4.
        Assert.Equal(-1_000_001_004, (int)VkResult.VK_ERROR_OUT_OF_DATE_KHR);
        // Promoted to core 1.3 from VK_KHR_dynamic_rendering (extension 45).
        Assert.Equal(1_000_044_000, (int)VkStructureType.VK_STRUCTURE_TYPE_RENDERING_INFO);
        Assert.Equal(1UL << 32, (ulong)VkAccessFlags2.VK_ACCESS_2_SHADER_SAMPLED_READ_BIT);
    }

    [Fact]
    public void Constructed_structs_carry_their_sType()
    {
        Assert.Equal(VkStructureType.VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, new VkInstanceCreateInfo().sType);
        Assert.Equal(VkStructureType.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES, new VkPhysicalDeviceVulkan13Features().sType);
        Assert.Equal(VkStructureType.VK_STRUCTURE_TYPE_RENDERING_INFO, new VkRenderingInfo { layerCount = 1 }.sType);
    }

    [Fact]
    public void VkBool32_is_four_bytes_and_no_generated_field_is_a_CSharp_bool()
    {
        Assert.Equal(4, Unsafe.SizeOf<VkBool32>());
        var offenders = typeof(VkInstance).Assembly.GetTypes()
            .Where(t => t.Namespace == "Stage.Vulkan.Native" && t.IsValueType)
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(f => f.FieldType == typeof(bool) || f.FieldType == typeof(char))
            .Select(f => f.DeclaringType!.Name + "." + f.Name)
            .ToList();
        Assert.Empty(offenders);
    }
}
