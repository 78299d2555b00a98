using System.Reflection;
using System.Runtime.InteropServices;
using Stage.Vulkan.Native;

namespace Stage.Vulkan;

/// <summary>
/// The one entry point Stage imports from the Vulkan loader (<c>libvulkan.so.1</c> / <c>vulkan-1.dll</c>):
/// <c>vkGetInstanceProcAddr</c>. Every other command is a function pointer obtained through it.
/// </summary>
internal static unsafe partial class VulkanLoader
{
    private const string LibraryName = "vulkan";

    static VulkanLoader()
    {
        // Why a resolver: the loader's file name differs per platform and only the versioned
        // libvulkan.so.1 is guaranteed on Linux (the unversioned name comes with -dev packages).
        NativeLibrary.SetDllImportResolver(typeof(VulkanLoader).Assembly, Resolve);
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return 0;
        string[] candidates = OperatingSystem.IsWindows() ? ["vulkan-1.dll"]
            : OperatingSystem.IsMacOS() ? ["libvulkan.1.dylib", "libMoltenVK.dylib"]
            : ["libvulkan.so.1", "libvulkan.so"];
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle)) return handle;
        }
        return 0;
    }

    [LibraryImport(LibraryName, EntryPoint = "vkGetInstanceProcAddr")]
    private static partial nint GetInstanceProcAddrImport(nint instance, byte* name);

    private static nint _getInstanceProcAddr;

    /// <summary>
    /// <c>vkGetInstanceProcAddr</c> as a function pointer (queried through itself, which the loader
    /// allows with a NULL instance), ready for the generated command tables.
    /// </summary>
    /// <exception cref="GpuUnavailableException">The Vulkan loader library is not installed.</exception>
    public static delegate* unmanaged<VkInstance, byte*, nint> GetInstanceProcAddr
    {
        get
        {
            if (_getInstanceProcAddr == 0)
            {
                try
                {
                    fixed (byte* name = "vkGetInstanceProcAddr\0"u8) _getInstanceProcAddr = GetInstanceProcAddrImport(0, name);
                }
                catch (DllNotFoundException e)
                {
                    throw new GpuUnavailableException(
                        "the Vulkan loader (libvulkan.so.1 / vulkan-1.dll) is not installed: install libvulkan1 (tools/setup does)", e);
                }
                if (_getInstanceProcAddr == 0)
                    throw new GpuUnavailableException("the Vulkan loader did not return vkGetInstanceProcAddr");
            }
            return (delegate* unmanaged<VkInstance, byte*, nint>)_getInstanceProcAddr;
        }
    }
}
