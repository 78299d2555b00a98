using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Stage.Windowing.Glfw;

/// <summary>
/// GLFW initialised for the life of this object (GLFW is process-global: one session at a time, on the
/// thread that will pump events — the engine's main thread). Errors GLFW reports through its callback
/// are collected and turned into <see cref="GlfwException"/> with GLFW's own text.
/// </summary>
public sealed unsafe class GlfwSession : IDisposable
{
    private static readonly Lock Gate = new();
    private static GlfwSession? s_current;
    private static string? s_lastError;
    private bool _disposed;

    private GlfwSession()
    {
    }

    /// <summary>Initialises GLFW on <paramref name="display"/> (an X display such as ":0"; null keeps $DISPLAY).</summary>
    /// <exception cref="GlfwException">GLFW cannot start (no display, no library): GLFW's reason is in the message.</exception>
    public static GlfwSession Open(string? display = null)
    {
        lock (Gate)
        {
            if (s_current is not null) throw new InvalidOperationException("a GLFW session is already open in this process");
            try
            {
                if (display is not null && !OperatingSystem.IsWindows())
                {
                    // GLFW reads the native environment; .NET's Environment.SetEnvironmentVariable does not reach it on Unix.
                    if (display.Length == 0) GlfwNative.UnsetEnv("DISPLAY");
                    else GlfwNative.SetEnv("DISPLAY", display, 1);
                }
                GlfwNative.SetErrorCallback(&OnError);
                s_lastError = null;
                if (GlfwNative.Init() != GlfwNative.True)
                {
                    string reason = s_lastError ?? "glfwInit failed";
                    throw new GlfwException(reason.Contains("DISPLAY", StringComparison.Ordinal)
                        ? $"{reason} (windows and monitors need a display: set DISPLAY, or run under Xvfb)"
                        : reason);
                }
            }
            catch (DllNotFoundException e)
            {
                throw new GlfwException($"GLFW 3.3 is not installed (Debian libglfw3; tools/setup installs it): {e.Message}");
            }
            s_current = new GlfwSession();
            return s_current;
        }
    }

    /// <summary>The GLFW version string, e.g. "3.3.8 X11 GLX EGL OSMesa …".</summary>
    public static string Version
    {
        get
        {
            try
            {
                return Marshal.PtrToStringUTF8((IntPtr)GlfwNative.GetVersionString()) ?? "";
            }
            catch (DllNotFoundException)
            {
                return "not installed";
            }
        }
    }

    /// <summary>Every connected monitor, primary first.</summary>
    public IReadOnlyList<MonitorInfo> Monitors()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int count;
        IntPtr* monitors = GlfwNative.GetMonitors(&count);
        ThrowIfError("glfwGetMonitors");
        IntPtr primary = GlfwNative.GetPrimaryMonitor();
        var list = new List<MonitorInfo>(count);
        for (int i = 0; i < count; i++)
        {
            IntPtr monitor = monitors[i];
            int x, y, widthMm, heightMm, modeCount;
            GlfwNative.GetMonitorPos(monitor, &x, &y);
            GlfwNative.GetMonitorPhysicalSize(monitor, &widthMm, &heightMm);
            GlfwVideoMode* modes = GlfwNative.GetVideoModes(monitor, &modeCount);
            GlfwVideoMode* current = GlfwNative.GetVideoMode(monitor);
            ThrowIfError("reading a monitor");
            var modeList = new List<VideoMode>(modeCount);
            for (int m = 0; m < modeCount; m++) modeList.Add(ToMode(modes[m]));
            list.Add(new MonitorInfo(i, Marshal.PtrToStringUTF8((IntPtr)GlfwNative.GetMonitorName(monitor)) ?? $"monitor {i}",
                monitor == primary, x, y, widthMm, heightMm, current is null ? default : ToMode(*current), modeList));
        }
        return list;
    }

    /// <summary>
    /// The Vulkan instance extensions GLFW needs to make window surfaces (VK_KHR_surface and the
    /// platform's, e.g. VK_KHR_xlib_surface): pass them to <c>GpuInstanceOptions.Extensions</c>.
    /// </summary>
    /// <exception cref="GlfwException">GLFW finds no Vulkan loader, or no surface extension.</exception>
    public IReadOnlyList<string> RequiredVulkanExtensions()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (GlfwNative.VulkanSupported() != GlfwNative.True)
            throw new GlfwException($"GLFW finds no Vulkan loader with surface support ({Interlocked.Exchange(ref s_lastError, null) ?? "glfwVulkanSupported is false"})");
        uint count;
        byte** names = GlfwNative.GetRequiredInstanceExtensions(&count);
        ThrowIfError("glfwGetRequiredInstanceExtensions");
        if (names is null) throw new GlfwException("GLFW knows no Vulkan surface extension for this platform");
        var list = new List<string>((int)count);
        for (int i = 0; i < count; i++) list.Add(Marshal.PtrToStringUTF8((IntPtr)names[i]) ?? "");
        return list;
    }

    /// <summary>
    /// Handles every pending window event (keys, mouse, resizes, close requests), calling the windows'
    /// listeners. Call on the thread that opened the session, once per frame.
    /// </summary>
    public void PollEvents()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GlfwNative.PollEvents();
        // Errors during event handling (a lost display) are reported, not thrown: the next frame tries again.
        Interlocked.Exchange(ref s_lastError, null);
    }

    /// <summary>
    /// Finds a monitor by index ("1") or by name ("HDMI-1", or a part of it); null when none matches.
    /// </summary>
    public MonitorInfo? FindMonitor(string nameOrIndex)
    {
        IReadOnlyList<MonitorInfo> monitors = Monitors();
        if (int.TryParse(nameOrIndex, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
            return monitors.FirstOrDefault(m => m.Index == index);
        return monitors.FirstOrDefault(m => m.Name == nameOrIndex) ?? monitors.FirstOrDefault(m => m.Name.Contains(nameOrIndex, StringComparison.OrdinalIgnoreCase));
    }

    internal static IntPtr MonitorHandle(int index)
    {
        int count;
        IntPtr* monitors = GlfwNative.GetMonitors(&count);
        return index >= 0 && index < count ? monitors[index] : IntPtr.Zero;
    }

    /// <summary>The GLFW error reported since the last call, if any (cleared).</summary>
    internal static string? TakeLastError() => Interlocked.Exchange(ref s_lastError, null);

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            GlfwNative.Terminate();
            s_current = null;
        }
    }

    private static VideoMode ToMode(GlfwVideoMode mode) =>
        new(mode.Width, mode.Height, mode.RefreshRate, Math.Max(mode.RedBits, Math.Max(mode.GreenBits, mode.BlueBits)));

    private static void ThrowIfError(string what)
    {
        string? error = Interlocked.Exchange(ref s_lastError, null);
        if (error is not null) throw new GlfwException($"{what}: {error}");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(int code, byte* description)
    {
        string text = Marshal.PtrToStringUTF8((IntPtr)description) ?? "";
        s_lastError = $"GLFW error 0x{code:X5}: {text}";
    }
}
