using Stage.Vulkan.Native;

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
        using var instance = GpuInstance.Create(new GpuInstanceOptions { EnableValidation = true, Extensions = [Vk.VK_KHR_SURFACE_EXTENSION_NAME] });
        Assert.True(instance.SupportsSurfaces);
        Assert.Contains(Vk.VK_KHR_SURFACE_EXTENSION_NAME, instance.EnabledExtensions);
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
}
