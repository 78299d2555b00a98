namespace Stage.Takes;

/// <summary>
/// One node of a render cluster as a take records it (docs/cluster.md): which outputs it draws, whether it drew the
/// take (its world hash reached the primary for at least one of the take's frames) and whether its world agreed with
/// the primary's at every frame compared.
/// </summary>
/// <param name="NodeId">The node's id in the cluster configuration.</param>
/// <param name="Primary">True for the primary (it draws its outputs and is what the others are compared with).</param>
/// <param name="Outputs">The outputs the node draws.</param>
/// <param name="FramesCompared">The take's frames whose hash from this node was compared with the primary's (0 for the primary itself).</param>
/// <param name="FramesAgreed">Of those, the frames whose hash equalled the primary's.</param>
/// <param name="FirstDivergentFrame">The first take frame (from 0) whose hash differed, or -1 when none did.</param>
public sealed record TakeNode(string NodeId, bool Primary, IReadOnlyList<string> Outputs, long FramesCompared, long FramesAgreed, long FirstDivergentFrame)
{
    /// <summary>True when the node drew the take: the primary, or a node with at least one frame compared.</summary>
    public bool Drew => Primary || FramesCompared > 0;

    /// <summary>True when the node drew the take and every frame compared agreed.</summary>
    public bool Agreed => Drew && FirstDivergentFrame < 0 && FramesAgreed == FramesCompared;

    /// <summary>"render-1 agreed 240/240", "render-2 DIVERGED at take frame 81 (80/200 agreed)", "render-3 did not draw", "primary (primary)".</summary>
    public string Verdict => Primary ? $"{NodeId} (primary)"
        : !Drew ? $"{NodeId} did not draw"
        : FirstDivergentFrame < 0 && FramesAgreed == FramesCompared ? $"{NodeId} agreed {FramesAgreed}/{FramesCompared}"
        : $"{NodeId} DIVERGED at take frame {FirstDivergentFrame} ({FramesAgreed}/{FramesCompared} agreed)";
}
