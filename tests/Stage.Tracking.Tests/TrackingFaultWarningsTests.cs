using System.Diagnostics;
using Stage.Tests.Shared;
using Stage.Tracking.Buffers;
using Stage.Tracking.FreeD;
using Stage.Tracking.Statistics;

namespace Stage.Tracking.Tests;

/// <summary>Faulty datagrams kept as samples, counted by kind, and warned about at most once per interval per source.</summary>
public class TrackingFaultWarningsTests
{
    private static byte[] BadChecksum(byte cameraId)
    {
        byte[] packet = new byte[29];
        packet[0] = 0xD1;
        packet[1] = cameraId;
        packet[28] = 0x00; // the right checksum for camera 1 is 0x6e
        return packet;
    }

    [Fact]
    public void A_faulty_datagram_is_kept_as_the_sample_with_its_kind_and_first_bytes()
    {
        using var source = new FreeDSource(TestConfigs.FreeDConfig(), [new PoseBuffer("A", 0)]);
        source.Start();
        TestConfigs.SendTo(source.LocalEndPoint!, BadChecksum(1), [0xD1, 1, 2]);
        Assert.True(TestConfigs.WaitFor(() => source.Statistics.FaultCount == 2));
        source.Stop();
        TrackingFaultSample sample = source.Statistics.LatestFaultSample()!;
        Assert.Equal(TrackingDropKind.WrongLength, sample.Kind);
        Assert.Equal(3, sample.Length);
        Assert.Equal([0xD1, 1, 2], sample.Head);
        Assert.Equal("wrong length, 3 bytes: d1 01 02 \"...\"", TrackingReport.Describe(sample));
    }

    [Fact]
    public void Keeping_a_fault_sample_allocates_nothing()
    {
        var statistics = new SourceStatistics("fd");
        byte[] datagram = BadChecksum(1);
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                statistics.CountDrop(TrackingDropKind.BadChecksum);
                statistics.KeepFaultSample(datagram, i);
            }
        }));
    }

    [Fact]
    public void A_flood_of_faults_gives_one_warning_per_interval_with_the_counts_since_the_last()
    {
        using var source = new FreeDSource(TestConfigs.FreeDConfig(), [new PoseBuffer("A", 0)]);
        var warnings = new TrackingFaultWarnings([source], TimeSpan.FromSeconds(10));
        long t0 = Stopwatch.GetTimestamp();
        long second = Stopwatch.Frequency;
        Assert.Empty(warnings.Due(t0));

        for (int i = 0; i < 30; i++) source.Statistics.CountDrop(TrackingDropKind.BadChecksum);
        source.Statistics.CountDrop(TrackingDropKind.WrongCameraId);
        source.Statistics.CountDrop(TrackingDropKind.NoPose); // not a fault: never warned about
        string first = Assert.Single(warnings.Due(t0 + second));
        Assert.Equal("tracking source 'freed-a' (freed): 31 faulty packets since it started (checksum 30, wrong camera id 1)", first);

        // More faults within the interval: nothing until it has passed, then the ones since the last warning.
        for (int i = 0; i < 5; i++) source.Statistics.CountDrop(TrackingDropKind.BadChecksum);
        Assert.Empty(warnings.Due(t0 + 5 * second));
        Assert.Equal("tracking source 'freed-a' (freed): 5 faulty packets in the last 11 s (checksum 5)", Assert.Single(warnings.Due(t0 + 12 * second)));
        // A quiet source says nothing.
        Assert.Empty(warnings.Due(t0 + 30 * second));
    }

    [Fact]
    public void The_status_form_is_compact_and_names_the_kinds_most_frequent_first()
    {
        var statistics = new SourceStatistics("fd");
        for (int i = 0; i < 12_345; i++) statistics.Datagrams.Record(i);
        for (int i = 0; i < 12_000; i++) statistics.CountDrop(TrackingDropKind.BadChecksum);
        for (int i = 0; i < 345; i++) statistics.CountDrop(TrackingDropKind.WrongCameraId);
        Assert.Equal("fd 12.3k in 0 ok 12.3k bad (checksum 12.0k, wrong camera id 345)", TrackingReport.Compact(statistics.Snapshot(0)));
        Assert.Equal("osc 0 in 0 ok", TrackingReport.Compact(new SourceStatistics("osc").Snapshot(0)));
    }
}
