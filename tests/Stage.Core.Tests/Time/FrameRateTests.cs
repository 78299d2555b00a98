using Stage.Core.Time;

namespace Stage.Core.Tests.Time;

public class FrameRateTests
{
    [Theory]
    [InlineData("23.976", 24000, 1001)]
    [InlineData("23.98", 24000, 1001)]
    [InlineData("24", 24, 1)]
    [InlineData("25", 25, 1)]
    [InlineData("29.97", 30000, 1001)]
    [InlineData("30", 30, 1)]
    [InlineData("47.952", 48000, 1001)]
    [InlineData("48", 48, 1)]
    [InlineData("50", 50, 1)]
    [InlineData("59.94", 60000, 1001)]
    [InlineData("60", 60, 1)]
    [InlineData("119.88", 120000, 1001)]
    [InlineData("24000/1001", 24000, 1001)]
    [InlineData("48/2", 24, 1)]
    [InlineData(" 25.0 ", 25, 1)]
    public void Common_names_and_rationals_parse_to_exact_rationals(string text, long numerator, long denominator)
    {
        FrameRate rate = FrameRate.Parse(text);
        Assert.Equal(numerator, rate.Numerator);
        Assert.Equal(denominator, rate.Denominator);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("23.5")]
    [InlineData("-24")]
    [InlineData("0")]
    [InlineData("24/0")]
    [InlineData("1/-2")]
    [InlineData("5000")]
    public void Nonsense_is_refused_with_a_reason(string text)
    {
        Assert.False(FrameRate.TryParse(text, out _, out string error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Names_print_the_way_a_crew_writes_them()
    {
        Assert.Equal("23.976", FrameRate.Fps23976.ToString());
        Assert.Equal("29.97", FrameRate.Fps2997.ToString());
        Assert.Equal("59.94", FrameRate.Fps5994.ToString());
        Assert.Equal("25", FrameRate.Fps25.ToString());
        Assert.Equal("24000/1001", FrameRate.Fps23976.ToRationalString());
    }

    [Fact]
    public void Timecode_base_and_drop_frame_support_follow_smpte()
    {
        Assert.Equal(24, FrameRate.Fps23976.TimecodeBase);
        Assert.Equal(30, FrameRate.Fps2997.TimecodeBase);
        Assert.Equal(60, FrameRate.Fps5994.TimecodeBase);
        Assert.True(FrameRate.Fps2997.SupportsDropFrame);
        Assert.True(FrameRate.Fps5994.SupportsDropFrame);
        Assert.False(FrameRate.Fps23976.SupportsDropFrame);
        Assert.False(FrameRate.Fps30.SupportsDropFrame);
        Assert.Equal(2, FrameRate.Fps2997.DropFramesPerMinute);
        Assert.Equal(4, FrameRate.Fps5994.DropFramesPerMinute);
    }

    [Fact]
    public void Frame_times_are_exact_without_accumulated_rounding()
    {
        // One hour of 23.976 is 86313.6 frames; frame 24000 starts exactly 1001 s in.
        Assert.Equal(1_001_000_000_000L, FrameRate.Fps23976.NanosecondsOfFrame(24000));
        Assert.Equal(24000L, FrameRate.Fps23976.FrameAtNanoseconds(1_001_000_000_000L));
        Assert.Equal(23999L, FrameRate.Fps23976.FrameAtNanoseconds(1_001_000_000_000L - 1));
        Assert.Equal(-1L, FrameRate.Fps24.FrameAtNanoseconds(-1));
    }
}
