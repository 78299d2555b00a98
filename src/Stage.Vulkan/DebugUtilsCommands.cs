namespace Stage.Vulkan;

/// <summary>VK_EXT_debug_utils: the messenger the validation layer reports through.</summary>
internal sealed unsafe class DebugUtilsCommands
{
    private const string Extension = "VK_EXT_debug_utils";

    /// <summary>Loads the commands once for <paramref name="instance"/> (the extension must be enabled on it).</summary>
    public DebugUtilsCommands(Vk vk, Instance instance)
    {
        CreateMessenger = (delegate* unmanaged<Instance, DebugUtilsMessengerCreateInfoEXT*, AllocationCallbacks*, DebugUtilsMessengerEXT*, Result>)
            ExtensionCommand.Instance(vk, instance, "vkCreateDebugUtilsMessengerEXT", Extension);
        DestroyMessenger = (delegate* unmanaged<Instance, DebugUtilsMessengerEXT, AllocationCallbacks*, void>)
            ExtensionCommand.Instance(vk, instance, "vkDestroyDebugUtilsMessengerEXT", Extension);
    }

    /// <summary>vkCreateDebugUtilsMessengerEXT.</summary>
    public delegate* unmanaged<Instance, DebugUtilsMessengerCreateInfoEXT*, AllocationCallbacks*, DebugUtilsMessengerEXT*, Result> CreateMessenger { get; }

    /// <summary>vkDestroyDebugUtilsMessengerEXT.</summary>
    public delegate* unmanaged<Instance, DebugUtilsMessengerEXT, AllocationCallbacks*, void> DestroyMessenger { get; }
}
