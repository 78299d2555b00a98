namespace Stage.Vulkan.Tests.Gpu;

public sealed class SyncTests
{
    [Fact]
    public void A_fence_reports_its_state_times_out_unsignalled_and_resets()
    {
        GpuTest.Run(device =>
        {
            using var fence = new GpuFence(device, signaled: true);
            Assert.True(fence.IsSignaled);
            Assert.True(fence.Wait(TimeSpan.Zero));
            fence.Reset();
            Assert.False(fence.IsSignaled);
            Assert.False(fence.Wait(TimeSpan.FromMilliseconds(1)));
        });
    }

    [Fact]
    public void A_timeline_semaphore_counts_up_and_waits_for_a_value()
    {
        GpuTest.Run(device =>
        {
            using var timeline = new GpuTimelineSemaphore(device, initialValue: 5);
            Assert.Equal(5UL, timeline.Value);
            Assert.False(timeline.Wait(6, TimeSpan.FromMilliseconds(1)));
            timeline.Signal(9);
            Assert.True(timeline.Wait(6, TimeSpan.Zero));
            Assert.Equal(9UL, timeline.Value);
        });
    }

    [Fact]
    public void Submissions_are_numbered_and_completed_in_order()
    {
        GpuTest.Run(device =>
        {
            using var pool = new GpuCommandPool(device);
            var first = pool.Allocate();
            var second = pool.Allocate();
            first.Begin();
            first.End();
            second.Begin();
            second.End();
            var a = device.Submit(first);
            var b = device.Submit(second);
            Assert.Equal(a + 1, b);
            device.Wait(b);
            Assert.True(device.CompletedSubmission() >= b);
            // Re-recording waits for the buffer's previous submission.
            first.Begin();
            first.End();
            device.Wait(device.Submit(first));
        });
    }
}
