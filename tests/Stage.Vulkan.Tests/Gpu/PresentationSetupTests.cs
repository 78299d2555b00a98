using Silk.NET.Vulkan;

namespace Stage.Vulkan.Tests.Gpu;

/// <summary>Instance extensions and what a device enables for presentation (no window needed).</summary>
public sealed class PresentationSetupTests
{
    [Fact]
    public void An_instance_extension_the_loader_lacks_is_named()
    {
        var e = Assert.Throws<GpuUnavailableException>(() => GpuInstance.Create(new GpuInstanceOptions { Extensions = ["VK_STAGE_no_such_extension"] }));
        Assert.Contains("VK_STAGE_no_such_extension", e.Message);
    }

    [Fact]
    public void Without_surface_extensions_a_device_enables_no_swapchain_and_with_them_it_does()
    {
        GpuTest.Run(device =>
        {
            Assert.False(device.Instance.SupportsSurfaces);
            Assert.Equal(new GpuPresentation(false, false, false, false), device.Presentation);
        });
        using var instance = GpuInstance.Create(new GpuInstanceOptions { EnableValidation = true, Extensions = [ExtensionNames.Surface] });
        Assert.True(instance.SupportsSurfaces);
        Assert.Contains(ExtensionNames.Surface, instance.EnabledExtensions);
        using (GpuDevice device = instance.CreateDevice())
        {
            Assert.Equal(device.Info.PresentationOffered.Swapchain, device.Presentation.Swapchain);
            // Active only where offered: an extension is never enabled that the device does not list.
            Assert.True(!device.Presentation.PresentWait || device.Info.PresentationOffered.PresentWait);
            Assert.True(!device.Presentation.PresentBarrier || device.Info.PresentationOffered.PresentBarrier);
            Assert.Matches("^swapchain (yes|no), present_id (yes|no), present_wait (yes|no), present_barrier (yes|no)$", device.Info.PresentationOffered.ToString());
        }
        Assert.Empty(instance.Validation!.Messages);
    }

    [Fact]
    public void An_extension_command_the_driver_does_not_return_is_named_with_its_extension_when_loaded()
    {
        GpuTest.Run(device =>
        {
            var e = Assert.Throws<GpuUnavailableException>(() => ExtensionCommand.Device(device.Vk, device.Handle, "vkStageNoSuchCommandKHR", "VK_STAGE_no_such_extension"));
            Assert.Equal("VK_STAGE_no_such_extension is enabled but the driver returned no vkStageNoSuchCommandKHR", e.Message);
            e = Assert.Throws<GpuUnavailableException>(() => ExtensionCommand.Instance(device.Instance.Vk, device.Instance.Handle, "vkStageNoSuchCommandEXT", "VK_STAGE_other"));
            Assert.Contains("VK_STAGE_other", e.Message);
        });
    }

    [Fact]
    public void A_headless_surface_is_made_where_the_loader_offers_it_and_named_as_missing_where_not()
    {
        GpuInstance instance;
        try
        {
            instance = GpuInstance.Create(new GpuInstanceOptions { EnableValidation = true, Extensions = GpuSurface.HeadlessExtensions });
        }
        catch (GpuUnavailableException e)
        {
            // Mesa 22.3's loader (this machine's) offers no headless surface: the refusal names the extension.
            Assert.Contains(ExtensionNames.HeadlessSurface, e.Message);
            using var plain = GpuInstance.Create(new GpuInstanceOptions { EnableValidation = true, Extensions = [ExtensionNames.Surface] });
            var refused = Assert.Throws<GpuUnavailableException>(() => GpuSurface.CreateHeadless(plain));
            Assert.Contains(ExtensionNames.HeadlessSurface, refused.Message);
            return;
        }
        using (instance)
        {
            using (GpuDevice device = instance.CreateDevice())
            using (GpuSurface surface = GpuSurface.CreateHeadless(instance))
            {
                Assert.True(surface.CanPresentFrom(device));
            }
            Assert.Empty(instance.Validation!.Messages);
        }
    }
}
