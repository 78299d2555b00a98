using Silk.NET.Vulkan;

namespace Stage.Vulkan.Tests.Gpu;

public sealed class AllocatorTests
{
    [Fact]
    public void Thousands_of_buffers_and_images_share_few_blocks_and_the_accounting_returns_to_zero()
    {
        GpuTest.Run(device =>
        {
            var random = new Random(5);
            var buffers = new List<GpuBuffer>();
            var images = new List<GpuImage>();
            for (var i = 0; i < 3000; i++)
            {
                var use = (GpuMemoryUse)(i % 3);
                buffers.Add(new GpuBuffer(device, (ulong)random.Next(1, 64 * 1024), BufferUsageFlags.TransferSrcBit, use));
                if (i % 10 == 0)
                {
                    images.Add(new GpuImage(device, (uint)random.Next(1, 128), (uint)random.Next(1, 128), Format.R8G8B8A8Unorm,
                        ImageUsageFlags.ColorAttachmentBit));
                }
                // Free a random third as we go, so ranges are reused and merged.
                if (i % 3 == 2)
                {
                    var victim = random.Next(buffers.Count);
                    buffers[victim].Dispose();
                    buffers.RemoveAt(victim);
                }
            }
            Assert.Equal(buffers.Count + images.Count, device.Memory.AllocationCount);
            Assert.InRange(device.Memory.BlockCount, 1, 12); // 2000 buffers, 300 images: a few 64 MiB blocks, not 2300 allocations
            foreach (var b in buffers) b.Dispose();
            foreach (var image in images) image.Dispose();
            Assert.Equal(0, device.Memory.AllocationCount);
            Assert.Equal(0UL, device.Memory.AllocatedBytes);
        });
    }

    [Fact]
    public void Data_written_to_an_upload_buffer_reads_back_unchanged()
    {
        GpuTest.Run(device =>
        {
            using var buffer = new GpuBuffer(device, 1000, BufferUsageFlags.TransferSrcBit, GpuMemoryUse.Upload);
            var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
            buffer.Write(data);
            var back = new byte[1000];
            buffer.Read(back);
            Assert.Equal(data, back);
            Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Write(data, 1));
        });
    }

    [Theory]
    [InlineData(0UL, 10UL, 0UL, 64UL)]      // widened up to one atom
    [InlineData(70UL, 10UL, 64UL, 64UL)]    // start rounded down, end rounded up
    [InlineData(60UL, 10UL, 0UL, 128UL)]    // straddles an atom boundary
    [InlineData(1000UL, 24UL, 960UL, ulong.MaxValue)] // reaches the block's end: VK_WHOLE_SIZE
    public void Non_coherent_ranges_are_widened_to_atom_boundaries(ulong offset, ulong size, ulong expectedOffset, ulong expectedSize)
    {
        var (start, length) = GpuMemoryAllocator.AtomAlign(blockSize: 1024, atomSize: 64, offset, size);
        Assert.Equal(expectedOffset, start);
        Assert.Equal(expectedSize, length);
    }
}
