namespace Stage.Vulkan;

/// <summary>
/// Loads an extension command that Silk.NET's served core package does not carry (its extension packages
/// are not on Stage's feed): the pointer <c>vkGetInstanceProcAddr</c> / <c>vkGetDeviceProcAddr</c> returns,
/// for a typed <c>delegate* unmanaged</c> table over Silk.NET's own structs. A command the driver does not
/// return is reported when the table is loaded, naming the extension — never as a null call later.
/// </summary>
internal static unsafe class ExtensionCommand
{
    /// <summary>An instance-level command of <paramref name="extension"/>.</summary>
    /// <exception cref="GpuUnavailableException">The loader returned no such command.</exception>
    public static nint Instance(Vk vk, Instance instance, string name, string extension)
    {
        nint pointer = (nint)vk.GetInstanceProcAddr(instance, name).Handle;
        return pointer != 0 ? pointer : throw new GpuUnavailableException($"{extension} is enabled but the Vulkan loader returned no {name}");
    }

    /// <summary>A device-level command of <paramref name="extension"/>.</summary>
    /// <exception cref="GpuUnavailableException">The driver returned no such command.</exception>
    public static nint Device(Vk vk, Device device, string name, string extension)
    {
        nint pointer = (nint)vk.GetDeviceProcAddr(device, name).Handle;
        return pointer != 0 ? pointer : throw new GpuUnavailableException($"{extension} is enabled but the driver returned no {name}");
    }
}
