namespace Stage.Vulkan;

/// <summary>
/// The Vulkan API through Silk.NET.Vulkan's <see cref="Vk"/>. Silk resolves a command the first time it is
/// called, through <c>vkGetDeviceProcAddr</c> of its current device or <c>vkGetInstanceProcAddr</c> of its
/// current instance, and keeps one table per (instance, device) pair; Stage gives every
/// <see cref="GpuInstance"/> and every <see cref="GpuDevice"/> a <see cref="Vk"/> of its own, bound to its
/// handles once, so no call ever goes through another object's table.
/// </summary>
internal static class VulkanApi
{
    /// <summary>A fresh <see cref="Vk"/> over the platform's Vulkan loader.</summary>
    /// <exception cref="GpuUnavailableException">The Vulkan loader library is not installed.</exception>
    public static Vk Load()
    {
        try
        {
            return Vk.GetApi();
        }
        catch (Exception e) when (e is DllNotFoundException or FileNotFoundException or BadImageFormatException or PlatformNotSupportedException or EntryPointNotFoundException)
        {
            throw new GpuUnavailableException(
                "the Vulkan loader (libvulkan.so.1 / vulkan-1.dll) is not installed: install libvulkan1 (tools/setup does)", e);
        }
    }

    /// <summary>A <see cref="Vk"/> bound to <paramref name="instance"/> (instance-level commands).</summary>
    public static Vk ForInstance(Instance instance)
    {
        Vk vk = Load();
        vk.CurrentInstance = instance;
        return vk;
    }

    /// <summary>A <see cref="Vk"/> bound to <paramref name="instance"/> and <paramref name="device"/> (device-level commands).</summary>
    public static Vk ForDevice(Instance instance, Device device)
    {
        Vk vk = Load();
        vk.CurrentInstance = instance;
        vk.CurrentDevice = device;
        return vk;
    }
}
