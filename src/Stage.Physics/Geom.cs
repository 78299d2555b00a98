using Stage.Physics.Native;

namespace Stage.Physics;

/// <summary>
/// A collision shape in the world's hash space, either static (no body) or carried by a
/// <see cref="RigidBody"/>. ODE knows it by its id (stored with <c>dGeomSetData</c>), which
/// is how the near callback finds its <see cref="Material"/>.
/// </summary>
public sealed unsafe class Geom : IDisposable
{
    private Material _material;

    internal Geom(PhysicsWorld world, int id, nint handle, nint heightfieldData, Shape shape, Material material, RigidBody? body)
    {
        World = world;
        Id = id;
        Handle = handle;
        HeightfieldData = heightfieldData;
        Shape = shape;
        _material = material;
        Body = body;
    }

    /// <summary>The world this geom lives in.</summary>
    public PhysicsWorld World { get; }

    /// <summary>Stable id within the world, in creation order from 0; used in snapshots and space order.</summary>
    public int Id { get; }

    /// <summary>The shape it was created with.</summary>
    public Shape Shape { get; }

    /// <summary>The body carrying it, or null for static geometry.</summary>
    public RigidBody? Body { get; }

    /// <summary>True once disposed (directly, with its body, or with the world).</summary>
    public bool IsDisposed => Handle == 0;

    /// <summary>Its surface; applies from the next step.</summary>
    public Material Material
    {
        get => _material;
        set
        {
            ThrowIfDisposed();
            value.Validate();
            _material = value;
        }
    }

    /// <summary>Its position in stage space (the body's, plus any offset). Planes report the origin.</summary>
    public Vector3D PositionM
    {
        get
        {
            ThrowIfDisposed();
            if (Shape is PlaneShape) return Vector3D.Zero;
            double* p = Ode.GeomGetPosition(Handle);
            if (p == null) throw new PhysicsException("dGeomGetPosition returned null.");
            return new Vector3D(p[0], p[1], p[2]);
        }
    }

    internal nint Handle { get; private set; }

    internal nint HeightfieldData { get; private set; }

    /// <summary>Removes the geom from the world. Idempotent.</summary>
    public void Dispose()
    {
        if (Handle == 0) return;
        World.DestroyGeom(this);
    }

    internal void ReleaseNative()
    {
        Ode.GeomDestroy(Handle);
        if (HeightfieldData != 0) Ode.GeomHeightfieldDataDestroy(HeightfieldData);
        Handle = 0;
        HeightfieldData = 0;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Handle == 0, this);
}
