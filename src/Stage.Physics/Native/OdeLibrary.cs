using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Stage.Physics.Native;

/// <summary>
/// Loads ODE, checks it is the double-precision build Stage's layouts assume, and pairs
/// <c>dInitODE2</c> / <c>dCloseODE</c> with the lifetime of the worlds (reference counted).
/// Also owns the one process-wide lock every step takes: ODE keeps its quick-step random seed
/// in a global, so two worlds must never step at the same time.
/// </summary>
internal static unsafe class OdeLibrary
{
    /// <summary>The file Debian's <c>libode8</c> installs; there is no <c>libode.so</c> without libode-dev.</summary>
    public const string LinuxFileName = "libode.so.8";

    private static readonly Lock InitGate = new();
    private static int _users;

    /// <summary>Held for the whole of a world's step (seed set → collide → quick-step → seed read).</summary>
    public static readonly Lock StepGate = new();

    static OdeLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(OdeLibrary).Assembly, Resolve);
    }

    /// <summary>The configuration string the loaded ODE reports (<c>dGetConfiguration</c>).</summary>
    public static string Configuration
    {
        get
        {
            byte* text = Ode.GetConfiguration();
            if (text == null) throw new PhysicsException("dGetConfiguration returned null.");
            return Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));
        }
    }

    /// <summary>
    /// Takes one reference on the library: the first one checks the build and calls
    /// <c>dInitODE2</c>. Throws <see cref="PhysicsException"/> with the reason when ODE is
    /// missing or not a double-precision build.
    /// </summary>
    public static void Acquire()
    {
        lock (InitGate)
        {
            if (_users == 0)
            {
                int isDouble;
                try
                {
                    isDouble = Ode.CheckConfiguration("ODE_double_precision");
                }
                catch (DllNotFoundException e)
                {
                    throw new PhysicsException(
                        $"ODE could not be loaded ({LinuxFileName}). Install the Debian package libode8 (ODE 0.16, double precision).", e);
                }
                if (isDouble != 1)
                {
                    throw new PhysicsException(
                        "The loaded ODE library is not built in double precision (dCheckConfiguration(\"ODE_double_precision\") is false; " +
                        $"it reports \"{Configuration}\"). Stage needs dReal = double: install Debian's libode8.");
                }
                if (Ode.InitOde2(0) == 0) throw new PhysicsException("dInitODE2 failed.");
            }
            _users++;
        }
    }

    /// <summary>Gives back one reference; the last one calls <c>dCloseODE</c>.</summary>
    public static void Release()
    {
        lock (InitGate)
        {
            if (_users == 0) throw new InvalidOperationException("ODE released more often than acquired.");
            _users--;
            if (_users == 0) Ode.CloseOde();
        }
    }

    /// <summary>
    /// Makes sure the calling thread has ODE's per-thread data (collision caches). Cheap when it
    /// already has them, so every step calls it rather than tracking threads.
    /// </summary>
    public static void EnsureThreadData()
    {
        if (Ode.AllocateOdeDataForThread(~0u) == 0)
        {
            throw new PhysicsException("dAllocateODEDataForThread failed for this thread.");
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Ode.Lib) return 0;
        string[] candidates = OperatingSystem.IsWindows() ? ["ode_double", "ode"]
            : OperatingSystem.IsMacOS() ? ["libode.8.dylib", "libode.dylib"]
            : [LinuxFileName, "libode.so"];
        foreach (string name in candidates)
        {
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out nint handle)) return handle;
        }
        return 0;
    }
}
