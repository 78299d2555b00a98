namespace Stage.Vulkan;

/// <summary>A Vulkan call returned an error code. <see cref="Call"/> names the call, <see cref="Result"/> the code.</summary>
public sealed class VulkanException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    public VulkanException(string call, Result result)
        : base($"{call} failed: {NameOf(result)} ({(int)result})")
    {
        Call = call;
        Result = result;
    }

    /// <summary>
    /// The code's name in the specification (<c>VK_ERROR_DEVICE_LOST</c>), from Silk.NET's native-name attribute,
    /// so an operator can search for it; the C# name when there is none.
    /// </summary>
    public static string NameOf(Result result)
    {
        string member = result.ToString();
        return typeof(Result).GetField(member)?.GetCustomAttributesData()
                   .Where(a => a.AttributeType.Name == "NativeNameAttribute" && a.ConstructorArguments.Count == 2)
                   .Select(a => a.ConstructorArguments[1].Value as string)
                   .FirstOrDefault(name => name?.StartsWith("VK_", StringComparison.Ordinal) == true)
               ?? member;
    }

    /// <summary>The Vulkan command that failed, e.g. <c>vkAllocateMemory</c>.</summary>
    public string Call { get; }

    /// <summary>The result it returned.</summary>
    public Result Result { get; }
}

/// <summary>Vulkan cannot be used here: no loader, no device, or no device with what Stage needs.</summary>
public sealed class GpuUnavailableException : Exception
{
    /// <summary>Creates the exception with a message naming what is missing.</summary>
    public GpuUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public GpuUnavailableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Turns every <see cref="Result"/> into success or a <see cref="VulkanException"/>, in every build configuration.</summary>
internal static class ResultExtensions
{
    /// <summary>Throws unless the result is <c>VK_SUCCESS</c>.</summary>
    public static void Check(this Result result, string call)
    {
        if (result != Result.Success) throw new VulkanException(call, result);
    }

    /// <summary>Throws unless the result is <c>VK_SUCCESS</c> or one of the given non-error codes; returns it.</summary>
    public static Result Check(this Result result, string call, Result allowed)
    {
        if (result != Result.Success && result != allowed) throw new VulkanException(call, result);
        return result;
    }
}
