// Silk.NET.Vulkan's types are Stage.Vulkan's native vocabulary. Two handle names are also System's
// (System.Buffer, System.Threading.Semaphore), so they go by their Vulkan names here.
global using Silk.NET.Vulkan;
global using VkBuffer = Silk.NET.Vulkan.Buffer;
global using VkSemaphore = Silk.NET.Vulkan.Semaphore;
global using Silk.NET.Core;
