using Microsoft.Extensions.Logging;
using Stage.Core.Colour;
using Stage.Engine.Takes;
using Stage.Takes;

namespace Stage.Engine.Control;

/// <summary>
/// Live grading: <c>/stage/camera/&lt;id&gt;/cdl</c> and <c>/stage/wall/&lt;id&gt;/cdl</c> with ten numbers (slope r g b, offset r g b,
/// power r g b, saturation), one command per camera and wall, run on the engine thread: the grade is set on the
/// <see cref="GradeBoard"/> (the renderer takes it from the next frame), logged, replied to, and recorded in the running
/// take at the frame it takes effect.
/// </summary>
public static class GradeCommands
{
    private static readonly string[] Names = ["slopeR", "slopeG", "slopeB", "offsetR", "offsetG", "offsetB", "powerR", "powerG", "powerB", "saturation"];

    /// <summary>Registers the commands of every camera and wall of <paramref name="board"/>.</summary>
    public static void Register(CommandRegistry registry, EngineCommandQueue queue, TimeSpan timeout, GradeBoard board, TakeController takes,
        Func<long> currentFrame, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(board);
        for (int i = 0; i < board.CameraIds.Count; i++)
        {
            int index = i;
            string id = board.CameraIds[i];
            Add(registry, queue, timeout, $"/stage/camera/{id}/cdl", $"Grade camera {id}'s inner frustum (ASC CDL: slope rgb, offset rgb, power rgb, saturation).",
                cdl => Apply(GradeTarget.Camera, id, cdl, () => board.SetCamera(index, cdl), takes, currentFrame, log));
        }
        for (int i = 0; i < board.WallIds.Count; i++)
        {
            int index = i;
            string id = board.WallIds[i];
            Add(registry, queue, timeout, $"/stage/wall/{id}/cdl", $"Grade wall {id}'s outer pixels (ASC CDL: slope rgb, offset rgb, power rgb, saturation).",
                cdl => Apply(GradeTarget.Wall, id, cdl, () => board.SetWall(index, cdl), takes, currentFrame, log));
        }
        // Each take starts with every grade in force on record.
        takes.Started += recorder =>
        {
            for (int c = 0; c < board.CameraIds.Count; c++) recorder.AddGrade(0, GradeTarget.Camera, board.CameraIds[c], board.Camera(c));
            for (int w = 0; w < board.WallIds.Count; w++) recorder.AddGrade(0, GradeTarget.Wall, board.WallIds[w], board.Wall(w));
        };
    }

    private static void Add(CommandRegistry registry, EngineCommandQueue queue, TimeSpan timeout, string address, string description, Func<AscCdl, ControlReply> set) =>
        registry.Register(new ControlCommand
        {
            Address = address,
            Description = description,
            Parameters = Names.Select(n => new ControlParameter(n, ControlParameterKind.Number)).ToArray(),
            Handler = call =>
            {
                Span<double> values = stackalloc double[10];
                for (int k = 0; k < 10; k++) values[k] = call.Number(Names[k]);
                AscCdl cdl = AscCdl.FromValues(values);
                if (cdl.Fault() is string fault) return ControlReply.Failure($"{address}: {fault}");
                return queue.Invoke(() => set(cdl), timeout);
            },
        });

    private static ControlReply Apply(GradeTarget target, string id, AscCdl cdl, Action set, TakeController takes, Func<long> currentFrame, ILogger log)
    {
        set();
        string what = $"{(target == GradeTarget.Camera ? "camera" : "wall")} {id} grade SOP {cdl.SopText()} SAT {cdl.SatText()}";
        if (takes.Recording is { } recorder)
        {
            long frame = takes.TakeFrameOf(currentFrame());
            recorder.AddGrade(frame, target, id, cdl);
            what += $" (take frame {frame})";
        }
        log.LogInformation("Grade: {Grade}", what);
        return ControlReply.Success(what);
    }
}
