using Stage.Tests.Shared;

namespace Stage.Vulkan.Tests.Bindings;

/// <summary>Where the registry, the list and the committed generation live.</summary>
internal static class VkPaths
{
    public const string Registry = "/usr/share/vulkan/registry/vk.xml";

    public static string List => RepositoryPaths.Of("tools", "VkGen", "stage-vulkan.txt");

    public static string Generated => RepositoryPaths.Of("src", "Stage.Vulkan", "Generated");
}
