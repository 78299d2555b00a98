namespace Stage.Physics;

/// <summary>
/// The complete changing state of a <see cref="PhysicsWorld"/> between two steps: what a
/// snapshot must hold so that restoring it and stepping on is bit-identical to never having
/// stopped. Bodies and joints are listed by id; <see cref="SpaceOrder"/> is the hash space's
/// geom list from head to tail (it decides the order of contacts, hence the solver's rows).
/// </summary>
public sealed class PhysicsState
{
    private readonly int[] _bodyIds;
    private readonly BodyState[] _bodies;
    private readonly int[] _jointIds;
    private readonly long?[] _jointBrokenAtStep;
    private readonly int[] _spaceOrder;

    /// <summary>Creates a state (for example, read back from a snapshot file). The lists are copied.</summary>
    public PhysicsState(long step, ulong randomSeed, IReadOnlyList<int> bodyIds, IReadOnlyList<BodyState> bodies,
        IReadOnlyList<int> jointIds, IReadOnlyList<long?> jointBrokenAtStep, IReadOnlyList<int> spaceOrder)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "The step count cannot be negative.");
        if (bodyIds.Count != bodies.Count) throw new ArgumentException($"{bodyIds.Count} body ids but {bodies.Count} body states.");
        if (jointIds.Count != jointBrokenAtStep.Count) throw new ArgumentException($"{jointIds.Count} joint ids but {jointBrokenAtStep.Count} joint states.");
        Step = step;
        RandomSeed = randomSeed;
        _bodyIds = [.. bodyIds];
        _bodies = [.. bodies];
        _jointIds = [.. jointIds];
        _jointBrokenAtStep = [.. jointBrokenAtStep];
        _spaceOrder = [.. spaceOrder];
    }

    /// <summary>Steps taken when the state was captured.</summary>
    public long Step { get; }

    /// <summary>The world's quick-step random seed (what <c>dRandGetSeed</c> returned after its last step).</summary>
    public ulong RandomSeed { get; }

    /// <summary>Ids of the bodies, ascending.</summary>
    public IReadOnlyList<int> BodyIds => _bodyIds;

    /// <summary>State of each body, parallel to <see cref="BodyIds"/>.</summary>
    public IReadOnlyList<BodyState> Bodies => _bodies;

    /// <summary>Ids of the joints, ascending.</summary>
    public IReadOnlyList<int> JointIds => _jointIds;

    /// <summary>For each joint in <see cref="JointIds"/>, the step it broke at, or null while it holds.</summary>
    public IReadOnlyList<long?> JointBrokenAtStep => _jointBrokenAtStep;

    /// <summary>Geom ids in the hash space's list order, head first.</summary>
    public IReadOnlyList<int> SpaceOrder => _spaceOrder;

    internal ReadOnlySpan<int> BodyIdSpan => _bodyIds;

    internal ReadOnlySpan<BodyState> BodySpan => _bodies;

    internal ReadOnlySpan<int> JointIdSpan => _jointIds;

    internal ReadOnlySpan<long?> JointBrokenAtStepSpan => _jointBrokenAtStep;

    internal ReadOnlySpan<int> SpaceOrderSpan => _spaceOrder;

    /// <summary>True when both states hold the same bits everywhere.</summary>
    public bool BitEquals(PhysicsState other)
    {
        if (Step != other.Step || RandomSeed != other.RandomSeed) return false;
        if (!_bodyIds.AsSpan().SequenceEqual(other._bodyIds) || !_jointIds.AsSpan().SequenceEqual(other._jointIds)) return false;
        if (!_spaceOrder.AsSpan().SequenceEqual(other._spaceOrder)) return false;
        for (int i = 0; i < _bodies.Length; i++)
        {
            if (!_bodies[i].BitEquals(other._bodies[i])) return false;
        }
        for (int i = 0; i < _jointBrokenAtStep.Length; i++)
        {
            if (_jointBrokenAtStep[i] != other._jointBrokenAtStep[i]) return false;
        }
        return true;
    }

    /// <summary>
    /// A 64-bit FNV-1a hash of the exact bits of the state, in a fixed order (step, seed, bodies
    /// by id, joints by id, space order). Equal states give equal hashes in any process.
    /// </summary>
    public ulong ComputeHash()
    {
        var h = new Fnv1a();
        h.Add(Step);
        h.Add((long)RandomSeed);
        h.Add(_bodies.Length);
        for (int i = 0; i < _bodies.Length; i++)
        {
            BodyState b = _bodies[i];
            h.Add(_bodyIds[i]);
            h.Add(b.PositionM);
            h.Add(b.Orientation.W);
            h.Add(b.Orientation.X);
            h.Add(b.Orientation.Y);
            h.Add(b.Orientation.Z);
            h.Add(b.LinearVelocityMps);
            h.Add(b.AngularVelocityRadps);
            h.Add(b.IsAwake ? 1 : 0);
            h.Add(b.SleepCounter);
        }
        h.Add(_jointIds.Length);
        for (int i = 0; i < _jointIds.Length; i++)
        {
            h.Add(_jointIds[i]);
            h.Add(_jointBrokenAtStep[i] ?? -1);
        }
        h.Add(_spaceOrder.Length);
        foreach (int g in _spaceOrder) h.Add(g);
        return h.Value;
    }

    private struct Fnv1a()
    {
        public ulong Value { get; private set; } = 14695981039346656037UL;

        public void Add(long v)
        {
            for (int i = 0; i < 8; i++)
            {
                Value = (Value ^ (byte)(v >> (8 * i))) * 1099511628211UL;
            }
        }

        public void Add(int v) => Add((long)v);

        public void Add(double v) => Add(BitConverter.DoubleToInt64Bits(v));

        public void Add(Vector3D v)
        {
            Add(v.X);
            Add(v.Y);
            Add(v.Z);
        }
    }
}

/// <summary>One contact point generated in the last step.</summary>
/// <param name="Geom1Id">Id of the first geom.</param>
/// <param name="Geom2Id">Id of the second geom.</param>
/// <param name="PositionM">Contact position in stage space.</param>
/// <param name="Normal">Contact normal, pointing into geom 1.</param>
/// <param name="DepthM">Penetration depth.</param>
public readonly record struct ContactPoint(int Geom1Id, int Geom2Id, Vector3D PositionM, Vector3D Normal, double DepthM);
