using FsCheck;
using FsCheck.Fluent;
using Stage.Core.Time;

namespace Stage.Core.Tests.Time;

public class TimecodeTests
{
    [Theory]
    [InlineData(0, "00:00:00;00")]
    [InlineData(1799, "00:00:59;29")]
    [InlineData(1800, "00:01:00;02")]
    [InlineData(3597, "00:01:59;29")]
    [InlineData(3598, "00:02:00;02")]
    [InlineData(17982, "00:10:00;00")]
    [InlineData(17981, "00:09:59;29")]
    [InlineData(107892, "01:00:00;00")]
    [InlineData(2589407, "23:59:59;29")]
    public void Drop_frame_2997_matches_known_values(long frame, string expected)
    {
        Timecode tc = Timecode.FromFrameCount(frame, FrameRate.Fps2997);
        Assert.Equal(expected, tc.ToString());
        Assert.Equal(frame, Timecode.Parse(expected, FrameRate.Fps2997).ToFrameCount());
    }

    [Theory]
    [InlineData(3599, "00:00:59;59")]
    [InlineData(3600, "00:01:00;04")]
    [InlineData(35964, "00:10:00;00")]
    [InlineData(215784, "01:00:00;00")]
    public void Drop_frame_5994_matches_known_values(long frame, string expected)
    {
        Assert.Equal(expected, Timecode.FromFrameCount(frame, FrameRate.Fps5994).ToString());
        Assert.Equal(frame, Timecode.Parse(expected, FrameRate.Fps5994).ToFrameCount());
    }

    [Theory]
    [InlineData("24", 86400, "01:00:00:00")]
    [InlineData("25", 90000, "01:00:00:00")]
    [InlineData("23.976", 86400, "01:00:00:00")]
    [InlineData("29.97", 1800, "00:01:00:00")]
    [InlineData("50", 4999, "00:01:39:49")]
    public void Non_drop_counts_every_frame(string rate, long frame, string expected)
    {
        FrameRate r = FrameRate.Parse(rate);
        Timecode tc = Timecode.FromFrameCount(frame, r, dropFrame: false);
        Assert.Equal(expected, tc.ToString());
        Assert.Equal(frame, tc.ToFrameCount());
    }

    [Fact]
    public void Default_counting_is_drop_frame_only_at_2997_and_5994()
    {
        Assert.True(Timecode.FromFrameCount(0, FrameRate.Fps2997).DropFrame);
        Assert.True(Timecode.FromFrameCount(0, FrameRate.Fps5994).DropFrame);
        Assert.False(Timecode.FromFrameCount(0, FrameRate.Fps23976).DropFrame);
        Assert.False(Timecode.FromFrameCount(0, FrameRate.Fps30).DropFrame);
    }

    [Theory]
    [InlineData("00:01:00;00", "29.97")]
    [InlineData("00:01:00;01", "29.97")]
    [InlineData("00:01:00;03", "59.94")]
    [InlineData("00:00:00;00", "25")]
    [InlineData("00:00:00:24", "24")]
    [InlineData("24:00:00:00", "24")]
    [InlineData("00:60:00:00", "24")]
    [InlineData("00:00:60:00", "24")]
    [InlineData("0:00:00:00", "24")]
    [InlineData("00-00-00-00", "24")]
    [InlineData("", "24")]
    public void Invalid_timecode_is_refused_with_a_reason(string text, string rate)
    {
        Assert.False(Timecode.TryParse(text, FrameRate.Parse(rate), out _, out string error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Minute_ten_keeps_its_first_frames_in_drop_frame()
    {
        Assert.True(Timecode.TryParse("00:10:00;00", FrameRate.Fps2997, out Timecode tc, out _));
        Assert.Equal(17982, tc.ToFrameCount());
    }

    [Fact]
    public void Arithmetic_moves_by_frames_and_wraps_at_24_hours()
    {
        Timecode last = Timecode.Parse("23:59:59:23", FrameRate.Fps24);
        Assert.Equal("00:00:00:00", (last + 1).ToString());
        Assert.Equal("23:59:59:23", (Timecode.Parse("00:00:00:00", FrameRate.Fps24) - 1).ToString());
        Timecode a = Timecode.Parse("00:00:59;29", FrameRate.Fps2997);
        Assert.Equal("00:01:00;02", (a + 1).ToString());
        Assert.Equal(1, (a + 1) - a);
        Assert.True(a < a + 1);
        Assert.Throws<ArgumentException>(() => a - Timecode.Parse("00:00:00:00", FrameRate.Fps24));
    }

    [Fact]
    public void Frames_per_day_accounts_for_dropped_numbers()
    {
        Assert.Equal(2_589_408L, Timecode.FramesPerDay(FrameRate.Fps2997, dropFrame: true));
        Assert.Equal(5_178_816L, Timecode.FramesPerDay(FrameRate.Fps5994, dropFrame: true));
        Assert.Equal(2_073_600L, Timecode.FramesPerDay(FrameRate.Fps24, dropFrame: false));
    }

    public static IEnumerable<object[]> Countings() =>
        FrameRate.Common.SelectMany(rate => rate.SupportsDropFrame ? new[] { new object[] { rate.ToString(), true }, [rate.ToString(), false] } : [[rate.ToString(), false]]);

    [Theory]
    [MemberData(nameof(Countings))]
    public void Frame_to_timecode_to_frame_is_the_identity_for_every_rate(string rateName, bool dropFrame)
    {
        FrameRate rate = FrameRate.Parse(rateName);
        long perDay = Timecode.FramesPerDay(rate, dropFrame);
        Prop.ForAll(Gen.Choose(0, (int)(perDay - 1)).ToArbitrary(), frame =>
        {
            Timecode tc = Timecode.FromFrameCount(frame, rate, dropFrame);
            Timecode reparsed = Timecode.Parse(tc.ToString(), rate);
            return tc.ToFrameCount() == frame && reparsed == tc && reparsed.ToFrameCount() == frame;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [MemberData(nameof(Countings))]
    public void Consecutive_frames_have_consecutive_timecodes(string rateName, bool dropFrame)
    {
        FrameRate rate = FrameRate.Parse(rateName);
        long perDay = Timecode.FramesPerDay(rate, dropFrame);
        Prop.ForAll(Gen.Choose(0, (int)(perDay - 2)).ToArbitrary(), frame =>
        {
            Timecode a = Timecode.FromFrameCount(frame, rate, dropFrame);
            Timecode b = Timecode.FromFrameCount(frame + 1, rate, dropFrame);
            return b > a && b - a == 1 && a + 1 == b;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_drop_frame_timecode_of_a_day_round_trips()
    {
        // Exhaustive over the day's first two hours at 29.97 DF: no number is skipped or repeated.
        long previous = -1;
        for (long frame = 0; frame < 2 * 107892; frame++)
        {
            long back = Timecode.FromFrameCount(frame, FrameRate.Fps2997).ToFrameCount();
            Assert.Equal(frame, back);
            Assert.Equal(previous + 1, back);
            previous = back;
        }
    }
}
