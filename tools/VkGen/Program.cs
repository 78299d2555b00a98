// VkGen: generates Stage's Vulkan bindings from the Khronos registry.
//   dotnet run --project tools/VkGen -- <vk.xml> <list> <output folder>
// e.g. dotnet run --project tools/VkGen -- /usr/share/vulkan/registry/vk.xml tools/VkGen/stage-vulkan.txt src/Stage.Vulkan/Generated

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: VkGen <vk.xml> <list of commands/types/extensions> <output folder>");
    return 2;
}
try
{
    var files = VkGen.Generator.Run(args[0], args[1], args[2]);
    Console.WriteLine($"VkGen: wrote {files.Count} files to {args[2]}");
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or System.Xml.XmlException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"VkGen: {e.Message}");
    return 1;
}
