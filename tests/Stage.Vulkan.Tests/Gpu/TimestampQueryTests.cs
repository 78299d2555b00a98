using Silk.NET.Vulkan;
using Xunit.Abstractions;

namespace Stage.Vulkan.Tests.Gpu;

public sealed class TimestampQueryTests(ITestOutputHelper output)
{
    [Fact]
    public void Timestamps_are_monotonic_and_a_big_clear_takes_longer_than_nothing()
    {
        GpuTest.Run(device =>
        {
            using var stamps = new GpuTimestampQueries(device, 4);
            Assert.True(stamps.IsSupported, "lavapipe writes timestamps: " + stamps.Unsupported);
            Assert.Null(GpuTimestampQueries.UnsupportedReason(device));
            Assert.True(stamps.PeriodNs > 0);
            Assert.InRange(stamps.ValidBits, 36, 64);
            using var image = new GpuImage(device, 2048, 2048, Format.R16G16B16A16Sfloat, ImageUsageFlags.TransferDstBit);
            using var pool = new GpuCommandPool(device);
            GpuCommandBuffer cmd = pool.Allocate();
            // Several times through the same pool and command buffer: the reset makes the queries writable again.
            // Each interval is compared by its fastest round: a busy machine can preempt the CPU driver inside any one
            // interval (an "empty" one included), never make one faster than its work.
            double fastestNothing = double.MaxValue, fastestClears = double.MaxValue;
            for (var round = 0; round < 6; round++)
            {
                cmd.Begin();
                stamps.Reset(cmd);
                stamps.Write(cmd, 0);
                stamps.Write(cmd, 1); // nothing between 0 and 1
                cmd.Barrier(image, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
                    PipelineStageFlags2.None, AccessFlags2.None,
                    PipelineStageFlags2.ClearBit, AccessFlags2.TransferWriteBit);
                cmd.ClearColor(image, 0.25f, 0.5f, 0.75f, 1f);
                cmd.ClearColor(image, 0.75f, 0.5f, 0.25f, 1f);
                stamps.Write(cmd, 2); // two clears of 32 MiB between 1 and 2
                stamps.Write(cmd, 3); // nothing between 2 and 3
                cmd.End();
                device.Wait(device.Submit(cmd));
                Assert.Equal(4, stamps.Read());
                for (var i = 1; i < 4; i++) Assert.True(stamps.Ticks(i) >= stamps.Ticks(i - 1), $"timestamp {i} is before timestamp {i - 1}");
                double nothing = stamps.Milliseconds(0, 1), clears = stamps.Milliseconds(1, 2), nothingAgain = stamps.Milliseconds(2, 3);
                output.WriteLine($"round {round}: nothing {nothing:0.000} ms, two 2048² RGBA16F clears {clears:0.000} ms, nothing {nothingAgain:0.000} ms");
                Assert.True(stamps.Milliseconds(0, 3) >= clears);
                fastestNothing = Math.Min(fastestNothing, Math.Min(nothing, nothingAgain));
                fastestClears = Math.Min(fastestClears, clears);
            }
            Assert.True(fastestClears > fastestNothing, $"the fastest clears {fastestClears} ms are not longer than the fastest nothing {fastestNothing} ms");
        });
    }

    [Fact]
    public void Gpu_info_reports_timestamp_support_and_says_why_when_there_is_none()
    {
        var report = GpuReport.Query("llvmpipe");
        Assert.NotNull(report.Chosen);
        Assert.Null(report.Chosen.Timestamps.Unsupported);
        Assert.Contains(report.ToLines(), l => l.Trim().StartsWith("timestamps: ", StringComparison.Ordinal) && l.Contains("valid bits") && l.Contains("ns per tick"));
        Assert.Equal("unsupported: timestampValidBits of the graphics queue family is 0", new GpuTimestampSupport(0, 1, true).ToString());
        Assert.Equal("timestampComputeAndGraphics is false", new GpuTimestampSupport(64, 1, false).Unsupported);
        Assert.Equal("36 valid bits, 52.08 ns per tick", new GpuTimestampSupport(36, 52.08, true).ToString());
    }

    [Fact]
    public void Queries_are_read_only_when_written_and_each_index_once_per_reset()
    {
        GpuTest.Run(device =>
        {
            using var stamps = new GpuTimestampQueries(device, 3);
            using var pool = new GpuCommandPool(device);
            GpuCommandBuffer cmd = pool.Allocate();
            cmd.Begin();
            stamps.Reset(cmd);
            cmd.End();
            device.Wait(device.Submit(cmd));
            Assert.Equal(0, stamps.Read());
            Assert.Throws<ArgumentOutOfRangeException>(() => stamps.Ticks(0));

            cmd.Begin();
            stamps.Reset(cmd);
            stamps.Write(cmd, 0);
            Assert.Throws<InvalidOperationException>(() => stamps.Write(cmd, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => stamps.Write(cmd, 3));
            stamps.Write(cmd, 1);
            cmd.End();
            device.Wait(device.Submit(cmd));
            Assert.Equal(2, stamps.Read());
            Assert.True(stamps.Milliseconds(0, 1) >= 0);
            stamps.Dispose();
            stamps.Dispose();
        });
    }
}
