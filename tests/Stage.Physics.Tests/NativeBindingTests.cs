using System.Runtime.InteropServices;
using Stage.Physics;
using Stage.Physics.Native;

namespace Stage.Physics.Tests;

public class NativeBindingTests
{
    [Fact]
    public void Loaded_ode_is_the_double_precision_build()
    {
        using var world = new PhysicsWorld();
        Assert.Contains("ODE_double_precision", OdeLibrary.Configuration);
        Assert.Equal(1, Ode.CheckConfiguration("ODE_double_precision"));
        Assert.Equal(0, Ode.CheckConfiguration("ODE_single_precision"));
    }

    // Expected numbers printed by a C program compiled with gcc against /usr/include/ode
    // (ODE 0.16, Debian libode-dev); see docs/physics.md.
    [Fact]
    public unsafe void Struct_sizes_match_the_c_headers()
    {
        Assert.Equal(120, sizeof(DSurfaceParameters));
        Assert.Equal(96, sizeof(DContactGeom));
        Assert.Equal(248, sizeof(DContact));
        Assert.Equal(128, sizeof(DJointFeedback));
        Assert.Equal(136, sizeof(DMass));
    }

    [Fact]
    public void Struct_offsets_match_the_c_headers()
    {
        Assert.Equal(8, Marshal.OffsetOf<DSurfaceParameters>(nameof(DSurfaceParameters.Mu)));
        Assert.Equal(48, Marshal.OffsetOf<DSurfaceParameters>(nameof(DSurfaceParameters.Bounce)));
        Assert.Equal(64, Marshal.OffsetOf<DSurfaceParameters>(nameof(DSurfaceParameters.SoftErp)));
        Assert.Equal(112, Marshal.OffsetOf<DSurfaceParameters>(nameof(DSurfaceParameters.Slip2)));
        Assert.Equal(120, Marshal.OffsetOf<DContact>(nameof(DContact.Geom)));
        Assert.Equal(216, Marshal.OffsetOf<DContact>(nameof(DContact.FDir1)));
        Assert.Equal(64, Marshal.OffsetOf<DContactGeom>(nameof(DContactGeom.Depth)));
        Assert.Equal(72, Marshal.OffsetOf<DContactGeom>(nameof(DContactGeom.G1)));
        Assert.Equal(88, Marshal.OffsetOf<DContactGeom>(nameof(DContactGeom.Side1)));
        Assert.Equal(8, Marshal.OffsetOf<DMass>(nameof(DMass.C)));
        Assert.Equal(40, Marshal.OffsetOf<DMass>(nameof(DMass.I)));
    }

    [Fact]
    public unsafe void Box_mass_matches_the_closed_form_inertia()
    {
        using var world = new PhysicsWorld();
        DMass mass = default;
        Ode.MassSetBoxTotal(&mass, 12, 1, 2, 3);
        Assert.Equal(12, mass.Mass);
        // I_xx = m (ly² + lz²) / 12, row-major 3×4 with a padding column.
        Assert.Equal(12 * (4 + 9) / 12.0, mass.I[0], 12);
        Assert.Equal(12 * (1 + 9) / 12.0, mass.I[5], 12);
        Assert.Equal(12 * (1 + 4) / 12.0, mass.I[10], 12);
        Assert.Equal(1, Ode.MassCheck(&mass));
    }

    [Fact]
    public void Seed_round_trips_through_odes_global()
    {
        using var world = new PhysicsWorld();
        lock (OdeLibrary.StepGate)
        {
            Ode.RandSetSeed(new CULong(123456789));
            Assert.Equal(123456789u, (ulong)Ode.RandGetSeed().Value);
        }
    }
}
