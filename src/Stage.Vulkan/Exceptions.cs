using Stage.Vulkan.Native;

namespace Stage.Vulkan;

/// <summary>A Vulkan call returned an error code. <see cref="Call"/> names the call, <see cref="Result"/> the code.</summary>
public sealed class VulkanException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    public VulkanException(string call, VkResult result)
        : base($"{call} failed: {result} ({(int)result})")
    {
        Call = call;
        Result = result;
    }

    /// <summary>The Vulkan command that failed, e.g. <c>vkAllocateMemory</c>.</summary>
    public string Call { get; }

    /// <summary>The result it returned.</summary>
    public VkResult Result { get; }
}

/// <summary>Vulkan cannot be used here: no loader, no device, or no device with what Stage needs.</summary>
public sealed class GpuUnavailableException : Exception
{
    /// <summary>Creates the exception with a message naming what is missing.</summary>
    public GpuUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public GpuUnavailableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Turns every <see cref="VkResult"/> into success or a <see cref="VulkanException"/>, in every build configuration.</summary>
internal static class VkResultExtensions
{
    /// <summary>Throws unless the result is <c>VK_SUCCESS</c>.</summary>
    public static void Check(this VkResult result, string call)
    {
        if (result != VkResult.VK_SUCCESS) throw new VulkanException(call, result);
    }

    /// <summary>Throws unless the result is <c>VK_SUCCESS</c> or one of the given non-error codes; returns it.</summary>
    public static VkResult Check(this VkResult result, string call, VkResult allowed)
    {
        if (result != VkResult.VK_SUCCESS && result != allowed) throw new VulkanException(call, result);
        return result;
    }
}
