using System.Globalization;

namespace Stage.Core.Time;

/// <summary>
/// SMPTE 12M timecode: hours, minutes, seconds and frames at a frame rate, drop-frame or not.
/// Drop-frame exists only at 29.97 and 59.94 and is written with ';' before the frames.
/// Timecode wraps at 24 hours, as on every tape machine and recorder.
/// </summary>
public readonly record struct Timecode : IComparable<Timecode>
{
    /// <summary>Hours, 0–23.</summary>
    public int Hours { get; }
    /// <summary>Minutes, 0–59.</summary>
    public int Minutes { get; }
    /// <summary>Seconds, 0–59.</summary>
    public int Seconds { get; }
    /// <summary>Frames, 0 to the rate's timecode base − 1.</summary>
    public int Frames { get; }
    /// <summary>The frame rate this timecode counts at.</summary>
    public FrameRate Rate { get; }
    /// <summary>True for drop-frame counting (29.97 / 59.94 only).</summary>
    public bool DropFrame { get; }

    private Timecode(int hours, int minutes, int seconds, int frames, FrameRate rate, bool dropFrame)
    {
        Hours = hours;
        Minutes = minutes;
        Seconds = seconds;
        Frames = frames;
        Rate = rate;
        DropFrame = dropFrame;
    }

    /// <summary>The usual counting for a rate: drop-frame at 29.97 and 59.94, non-drop elsewhere.</summary>
    public static bool DefaultDropFrame(FrameRate rate) => rate.SupportsDropFrame;

    /// <summary>Number of frames in 24 hours of timecode at this rate and counting.</summary>
    public static long FramesPerDay(FrameRate rate, bool dropFrame)
    {
        CheckDropFrame(rate, dropFrame);
        long nominal = rate.TimecodeBase * 86_400L;
        // Drop-frame skips drop frames in 54 of every 60 minutes: 1440 minutes a day, 144 of them tenth minutes.
        return dropFrame ? nominal - rate.DropFramesPerMinute * (1440L - 144L) : nominal;
    }

    /// <summary>Builds a timecode from its fields, checking each against the rate and counting.</summary>
    /// <exception cref="ArgumentException">A field is out of range, or the frame is one drop-frame skips.</exception>
    public static Timecode FromFields(int hours, int minutes, int seconds, int frames, FrameRate rate, bool dropFrame)
    {
        string? error = CheckFields(hours, minutes, seconds, frames, rate, dropFrame);
        if (error is not null) throw new ArgumentException(error);
        return new Timecode(hours, minutes, seconds, frames, rate, dropFrame);
    }

    /// <summary>The timecode of frame <paramref name="frameCount"/> counted from 00:00:00:00, wrapping at 24 hours.</summary>
    public static Timecode FromFrameCount(long frameCount, FrameRate rate, bool dropFrame)
    {
        CheckDropFrame(rate, dropFrame);
        long perDay = FramesPerDay(rate, dropFrame);
        long frame = ((frameCount % perDay) + perDay) % perDay;
        int timecodeBase = rate.TimecodeBase;
        if (dropFrame)
        {
            long drop = rate.DropFramesPerMinute;
            long framesPerTenMinutes = timecodeBase * 600L - drop * 9;
            long framesPerMinute = timecodeBase * 60L - drop;
            long tens = frame / framesPerTenMinutes;
            long remainder = frame % framesPerTenMinutes;
            // The first minute of each ten keeps all its numbers; each later one skips 'drop' numbers at its start.
            long skipped = drop * 9 * tens + (remainder >= drop ? drop * ((remainder - drop) / framesPerMinute) : 0);
            frame += skipped;
        }
        int frames = (int)(frame % timecodeBase);
        long totalSeconds = frame / timecodeBase;
        return new Timecode((int)(totalSeconds / 3600), (int)(totalSeconds / 60 % 60), (int)(totalSeconds % 60), frames, rate, dropFrame);
    }

    /// <summary>The timecode of frame <paramref name="frameCount"/> with the rate's usual counting.</summary>
    public static Timecode FromFrameCount(long frameCount, FrameRate rate) => FromFrameCount(frameCount, rate, DefaultDropFrame(rate));

    /// <summary>Frames from 00:00:00:00 to this timecode.</summary>
    public long ToFrameCount()
    {
        int timecodeBase = Rate.TimecodeBase;
        long totalMinutes = Hours * 60L + Minutes;
        long nominal = (totalMinutes * 60 + Seconds) * timecodeBase + Frames;
        return DropFrame ? nominal - Rate.DropFramesPerMinute * (totalMinutes - totalMinutes / 10) : nominal;
    }

    /// <summary>This timecode moved by <paramref name="frames"/> frames (either sign), wrapping at 24 hours.</summary>
    public Timecode AddFrames(long frames) => FromFrameCount(ToFrameCount() + frames, Rate, DropFrame);

    /// <summary>Frames from <paramref name="earlier"/> to this timecode (negative if it is later); both must share rate and counting.</summary>
    public long FramesSince(Timecode earlier)
    {
        if (earlier.Rate != Rate || earlier.DropFrame != DropFrame)
            throw new ArgumentException($"cannot subtract timecode at {earlier.Rate}{(earlier.DropFrame ? " DF" : "")} from timecode at {Rate}{(DropFrame ? " DF" : "")}");
        return ToFrameCount() - earlier.ToFrameCount();
    }

    /// <summary>Adds frames to a timecode.</summary>
    public static Timecode operator +(Timecode timecode, long frames) => timecode.AddFrames(frames);
    /// <summary>Subtracts frames from a timecode.</summary>
    public static Timecode operator -(Timecode timecode, long frames) => timecode.AddFrames(-frames);
    /// <summary>Frames between two timecodes of the same rate and counting.</summary>
    public static long operator -(Timecode later, Timecode earlier) => later.FramesSince(earlier);
    /// <summary>Orders by frame count.</summary>
    public static bool operator <(Timecode a, Timecode b) => a.CompareTo(b) < 0;
    /// <summary>Orders by frame count.</summary>
    public static bool operator >(Timecode a, Timecode b) => a.CompareTo(b) > 0;
    /// <summary>Orders by frame count.</summary>
    public static bool operator <=(Timecode a, Timecode b) => a.CompareTo(b) <= 0;
    /// <summary>Orders by frame count.</summary>
    public static bool operator >=(Timecode a, Timecode b) => a.CompareTo(b) >= 0;

    /// <inheritdoc/>
    public int CompareTo(Timecode other) => ToFrameCount().CompareTo(other.ToFrameCount());

    /// <summary>"HH:MM:SS:FF", or "HH:MM:SS;FF" for drop-frame.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Hours:00}:{Minutes:00}:{Seconds:00}{(DropFrame ? ';' : ':')}{Frames:00}");

    /// <summary>
    /// Parses "HH:MM:SS:FF" (non-drop) or "HH:MM:SS;FF" (drop-frame; '.' and ',' are accepted for ';'
    /// as some recorders write them) at <paramref name="rate"/>.
    /// </summary>
    public static bool TryParse(string? text, FrameRate rate, out Timecode timecode, out string error)
    {
        timecode = default;
        string trimmed = text?.Trim() ?? "";
        if (trimmed.Length != 11 || trimmed[2] != ':' || trimmed[5] != ':' || !IsTwoDigits(trimmed, 0) || !IsTwoDigits(trimmed, 3) ||
            !IsTwoDigits(trimmed, 6) || !IsTwoDigits(trimmed, 9) || trimmed[8] is not (':' or ';' or '.' or ','))
        {
            error = $"'{trimmed}' is not timecode: write HH:MM:SS:FF, or HH:MM:SS;FF for drop-frame";
            return false;
        }
        bool dropFrame = trimmed[8] != ':';
        int hours = TwoDigits(trimmed, 0), minutes = TwoDigits(trimmed, 3), seconds = TwoDigits(trimmed, 6), frames = TwoDigits(trimmed, 9);
        if (dropFrame && !rate.SupportsDropFrame)
        {
            error = $"'{trimmed}' is drop-frame, which exists only at 29.97 and 59.94, not at {rate}";
            return false;
        }
        string? fieldError = CheckFields(hours, minutes, seconds, frames, rate, dropFrame);
        if (fieldError is not null)
        {
            error = $"'{trimmed}': {fieldError}";
            return false;
        }
        timecode = new Timecode(hours, minutes, seconds, frames, rate, dropFrame);
        error = "";
        return true;
    }

    /// <summary>Parses timecode; see <see cref="TryParse(string?, FrameRate, out Timecode, out string)"/>.</summary>
    /// <exception cref="FormatException">The text is not valid timecode at the rate.</exception>
    public static Timecode Parse(string text, FrameRate rate) =>
        TryParse(text, rate, out Timecode timecode, out string error) ? timecode : throw new FormatException(error);

    private static string? CheckFields(int hours, int minutes, int seconds, int frames, FrameRate rate, bool dropFrame)
    {
        if (dropFrame && !rate.SupportsDropFrame) return $"drop-frame exists only at 29.97 and 59.94, not at {rate}";
        if (hours is < 0 or > 23) return $"hours {hours} is outside 0–23";
        if (minutes is < 0 or > 59) return $"minutes {minutes} is outside 0–59";
        if (seconds is < 0 or > 59) return $"seconds {seconds} is outside 0–59";
        if (frames < 0 || frames >= rate.TimecodeBase) return $"frames {frames} is outside 0–{rate.TimecodeBase - 1} at {rate}";
        if (dropFrame && seconds == 0 && minutes % 10 != 0 && frames < rate.DropFramesPerMinute)
            return $"frame {frames} does not exist in drop-frame timecode: frames 0–{rate.DropFramesPerMinute - 1} are skipped at the start of every minute not divisible by ten";
        return null;
    }

    private static void CheckDropFrame(FrameRate rate, bool dropFrame)
    {
        if (dropFrame && !rate.SupportsDropFrame)
            throw new ArgumentException($"drop-frame timecode exists only at 29.97 and 59.94, not at {rate}", nameof(dropFrame));
    }

    private static bool IsTwoDigits(string text, int index) => char.IsAsciiDigit(text[index]) && char.IsAsciiDigit(text[index + 1]);

    private static int TwoDigits(string text, int index) => (text[index] - '0') * 10 + (text[index + 1] - '0');
}
