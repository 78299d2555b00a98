namespace Stage.Vulkan.Tests.Gpu;

public sealed class SelectionTests
{
    private static GpuDeviceInfo Device(int index, string name, GpuDeviceKind kind, bool suitable = true) => new()
    {
        Index = index,
        Name = name,
        Kind = kind,
        ApiVersion = new GpuApiVersion(1, 3, 0),
        DriverName = "test",
        DriverInfo = "",
        VendorId = 0,
        Extensions = [],
        Requirements = [new("Vulkan 1.3", true), new("synchronization2", suitable)],
        GraphicsQueueFamily = 0,
    };

    private static readonly GpuDeviceInfo[] Machine =
    [
        Device(0, "llvmpipe (LLVM 15.0.6, 256 bits)", GpuDeviceKind.Cpu),
        Device(1, "Intel(R) UHD Graphics 630", GpuDeviceKind.Integrated),
        Device(2, "NVIDIA RTX A6000", GpuDeviceKind.Discrete),
        Device(3, "Old GPU", GpuDeviceKind.Discrete, suitable: false),
    ];

    [Fact]
    public void Without_a_request_a_suitable_discrete_GPU_is_preferred()
    {
        Assert.Equal(2, GpuDeviceSelector.Select(Machine, null).Index);
    }

    [Fact]
    public void Lavapipe_is_the_fallback_when_nothing_else_is_suitable()
    {
        Assert.Equal(0, GpuDeviceSelector.Select([Machine[0], Machine[3]], null).Index);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("llvmpipe", 0)]
    [InlineData("nvidia", 2)]
    public void A_request_picks_by_index_or_by_part_of_the_name(string request, int expected)
    {
        Assert.Equal(expected, GpuDeviceSelector.Select(Machine, request).Index);
    }

    [Fact]
    public void A_requested_device_that_lacks_a_feature_is_refused_naming_the_feature()
    {
        var e = Assert.Throws<GpuUnavailableException>(() => GpuDeviceSelector.Select(Machine, "Old"));
        Assert.Contains("synchronization2", e.Message);
        Assert.Contains("Old GPU", e.Message);
    }

    [Fact]
    public void No_suitable_device_names_what_each_one_lacks()
    {
        var e = Assert.Throws<GpuUnavailableException>(() => GpuDeviceSelector.Select([Machine[3]], null));
        Assert.Contains("3 'Old GPU' lacks synchronization2", e.Message);
        Assert.Throws<GpuUnavailableException>(() => GpuDeviceSelector.Select([], null));
        Assert.Throws<GpuUnavailableException>(() => GpuDeviceSelector.Select(Machine, "Voodoo"));
    }

    [Fact]
    public void The_report_marks_the_chosen_device_and_lists_requirements()
    {
        var report = GpuReport.Query("llvmpipe");
        var lines = report.ToLines();
        Assert.NotNull(report.Chosen);
        Assert.Contains(lines, l => l.StartsWith("* [", StringComparison.Ordinal) && l.Contains("llvmpipe"));
        Assert.Contains(lines, l => l.Contains("ok      dynamicRendering"));
        Assert.StartsWith("chosen: [", lines[^1]);
    }
}
