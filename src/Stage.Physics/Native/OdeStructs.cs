using System.Runtime.InteropServices;

namespace Stage.Physics.Native;

// Layouts of the ODE 0.16 structs Stage passes by pointer, for a double-precision build
// (dReal = double, dVector3 = 4 doubles, dMatrix3 = 12 doubles). Sizes and offsets were checked
// against /usr/include/ode with gcc (see docs/physics.md) and are asserted by NativeLayoutTests.

/// <summary><c>dSurfaceParameters</c> (contact.h): 120 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DSurfaceParameters
{
    public int Mode;
    public double Mu;
    public double Mu2;
    public double Rho;
    public double Rho2;
    public double RhoN;
    public double Bounce;
    public double BounceVel;
    public double SoftErp;
    public double SoftCfm;
    public double Motion1;
    public double Motion2;
    public double MotionN;
    public double Slip1;
    public double Slip2;
}

/// <summary><c>dContactGeom</c> (contact.h): 96 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DContactGeom
{
    public fixed double Pos[4];
    public fixed double Normal[4];
    public double Depth;
    public nint G1;
    public nint G2;
    public int Side1;
    public int Side2;
}

/// <summary><c>dContact</c> (contact.h): 248 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DContact
{
    public DSurfaceParameters Surface;
    public DContactGeom Geom;
    public fixed double FDir1[4];
}

/// <summary><c>dJointFeedback</c> (common.h): 128 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DJointFeedback
{
    public fixed double F1[4];
    public fixed double T1[4];
    public fixed double F2[4];
    public fixed double T2[4];
}

/// <summary><c>dMass</c> (mass.h): 136 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DMass
{
    public double Mass;
    public fixed double C[4];
    public fixed double I[12];
}

/// <summary>Flags of <c>dSurfaceParameters.mode</c> (contact.h).</summary>
internal static class ContactMode
{
    public const int Bounce = 0x004;
    public const int SoftErp = 0x008;
    public const int SoftCfm = 0x010;
    /// <summary><c>dContactApprox1</c>: friction force limited by μ × normal force (Coulomb pyramid).</summary>
    public const int Approx1 = 0x7000;
}
