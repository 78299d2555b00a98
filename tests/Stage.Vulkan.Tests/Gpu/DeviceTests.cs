using Silk.NET.Vulkan;

namespace Stage.Vulkan.Tests.Gpu;

public sealed class DeviceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void A_Vulkan_13_device_is_created_and_destroyed_without_validation_messages()
    {
        GpuTest.Run(device =>
        {
            Assert.True(device.Info.IsSuitable);
            Assert.True(device.Info.ApiVersion >= new GpuApiVersion(1, 3, 0));
            Assert.False(string.IsNullOrWhiteSpace(device.Info.Name));
            Assert.False(string.IsNullOrWhiteSpace(device.Info.DriverName));
            Assert.NotEmpty(device.Info.Extensions);
            Assert.All(device.Info.Extensions, e => Assert.StartsWith("VK_", e));
        });
    }

    [Fact]
    public void A_fresh_device_has_made_no_submissions_and_its_creation_time_is_reported()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        GpuTest.Run(device =>
        {
            output.WriteLine($"instance (validation on) + device: {clock.Elapsed.TotalMilliseconds:F1} ms on {device.Info.Name}");
            Assert.True(device.LastSubmission == 0);
        });
    }

    [Fact]
    public void The_device_list_reports_every_requirement_and_the_loader_version()
    {
        using var instance = GpuInstance.Create(new GpuInstanceOptions { EnableValidation = true });
        var devices = instance.Devices();
        Assert.NotEmpty(devices);
        Assert.All(devices, d => Assert.Equal(
            ["Vulkan 1.3", "dynamicRendering", "synchronization2", "timelineSemaphore", "graphics+compute queue"],
            d.Requirements.Select(r => r.Name)));
        Assert.True(GpuInstance.LoaderVersion() >= new GpuApiVersion(1, 3, 0));
        Assert.Empty(instance.Validation!.Messages);
    }

    [Fact]
    public void An_impossible_allocation_surfaces_as_an_exception_naming_the_call()
    {
        using var instance = GpuInstance.Create(new GpuInstanceOptions { EnableValidation = true });
        using var device = instance.CreateDevice();
        var e = Assert.Throws<VulkanException>(() => new GpuBuffer(device, 1UL << 50, BufferUsageFlags.TransferDstBit, GpuMemoryUse.GpuOnly));
        // lavapipe refuses at vkCreateBuffer; a GPU driver may accept the buffer and refuse the memory.
        Assert.Contains(e.Call, new[] { "vkCreateBuffer", "vkAllocateMemory" });
        Assert.StartsWith(e.Call + " failed: VK_ERROR_", e.Message);
        Assert.Equal(0, device.Memory.AllocationCount);
        Assert.Empty(instance.Validation!.Messages.Select(m => m.ToString()));
    }

    [Fact]
    public void Dispose_is_idempotent()
    {
        GpuTest.Run(device =>
        {
            var buffer = new GpuBuffer(device, 256, BufferUsageFlags.TransferSrcBit, GpuMemoryUse.Upload);
            var image = new GpuImage(device, 4, 4, Format.R8G8B8A8Unorm, ImageUsageFlags.TransferDstBit);
            var pool = new GpuCommandPool(device);
            buffer.Dispose();
            buffer.Dispose();
            image.Dispose();
            image.Dispose();
            pool.Dispose();
            pool.Dispose();
            Assert.Equal(0, device.Memory.AllocationCount);
        });
    }
}
