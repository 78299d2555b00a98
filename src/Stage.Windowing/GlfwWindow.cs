using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Stage.Core.Configuration;
using Stage.Engine.Input;
using Stage.Vulkan;
using Stage.Windowing.Glfw;

namespace Stage.Windowing;

/// <summary>Where a <see cref="GlfwWindow"/> opens.</summary>
/// <param name="Title">Window title (and the X window name).</param>
/// <param name="WidthPx">Width: the window's, or the full-screen mode's.</param>
/// <param name="HeightPx">Height: the window's, or the full-screen mode's.</param>
/// <param name="Monitor">The monitor to cover, full screen without borders; null for a window (rehearsal).</param>
/// <param name="RefreshHz">Refresh rate to ask the monitor for (null: its current rate).</param>
public sealed record WindowSpec(string Title, int WidthPx, int HeightPx, MonitorInfo? Monitor = null, int? RefreshHz = null);

/// <summary>
/// A GLFW window without a GL context (Vulkan presents into it): windowed, or full screen on a monitor
/// at a mode. Input callbacks go to <see cref="Input"/> on the thread that pumps events
/// (<see cref="GlfwSession.PollEvents"/>, the engine thread); the size follows GLFW's framebuffer callback.
/// </summary>
public sealed unsafe class GlfwWindow : IDisposable
{
    // GLFW calls back with its window pointer; callbacks find the object here (engine thread only).
    private static readonly Dictionary<IntPtr, GlfwWindow> Windows = [];
    private IntPtr _handle;

    /// <summary>Opens a window. The session must be open on this thread.</summary>
    /// <exception cref="GlfwException">GLFW could not make the window (its reason in the message).</exception>
    public GlfwWindow(GlfwSession session, WindowSpec spec)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        GlfwNative.DefaultWindowHints();
        GlfwNative.WindowHint(GlfwNative.ClientApi, GlfwNative.NoApi);
        // An LED wall must never minimise because the operator clicked on another screen.
        GlfwNative.WindowHint(GlfwNative.AutoIconify, 0);
        GlfwNative.WindowHint(GlfwNative.Resizable, spec.Monitor is null ? 1 : 0);
        IntPtr monitor = IntPtr.Zero;
        if (spec.Monitor is not null)
        {
            monitor = GlfwSession.MonitorHandle(spec.Monitor.Index);
            if (monitor == IntPtr.Zero) throw new GlfwException($"monitor {spec.Monitor.Index} '{spec.Monitor.Name}' is gone");
            GlfwNative.WindowHint(GlfwNative.RefreshRate, spec.RefreshHz ?? spec.Monitor.Current.RefreshRateHz);
        }
        byte[] title = Encoding.UTF8.GetBytes(spec.Title + "\0");
        fixed (byte* t = title) _handle = GlfwNative.CreateWindow(spec.WidthPx, spec.HeightPx, t, monitor, IntPtr.Zero);
        if (_handle == IntPtr.Zero) throw new GlfwException($"glfwCreateWindow '{spec.Title}' failed: {GlfwSession.TakeLastError() ?? "no reason given"}");
        Windows[_handle] = this;
        GlfwNative.SetKeyCallback(_handle, &OnKey);
        GlfwNative.SetCursorPosCallback(_handle, &OnCursor);
        GlfwNative.SetMouseButtonCallback(_handle, &OnMouseButton);
        GlfwNative.SetFramebufferSizeCallback(_handle, &OnFramebufferSize);
        int width, height;
        GlfwNative.GetFramebufferSize(_handle, &width, &height);
        FramebufferWidthPx = width;
        FramebufferHeightPx = height;
    }

    /// <summary>What it was opened with.</summary>
    public WindowSpec Spec { get; }

    /// <summary>Where keyboard and mouse events go (null: dropped).</summary>
    public IInputListener? Input { get; set; }

    /// <summary>Framebuffer width in pixels (0 while minimised).</summary>
    public int FramebufferWidthPx { get; private set; }

    /// <summary>Framebuffer height in pixels (0 while minimised).</summary>
    public int FramebufferHeightPx { get; private set; }

    /// <summary>Times the framebuffer changed size (GLFW's callback).</summary>
    public int Resizes { get; private set; }

    /// <summary>True once the user asked to close the window (its close button).</summary>
    public bool CloseRequested => _handle != IntPtr.Zero && GlfwNative.WindowShouldClose(_handle) != 0;

    /// <summary>The X11 window id (for tools such as <c>xwd -id</c> that read the window's own pixels at its own depth).</summary>
    public ulong X11WindowId
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
            return GlfwNative.GetX11Window(_handle);
        }
    }

    /// <summary>The window's position on the virtual desktop, pixels.</summary>
    public (int X, int Y) Position
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
            int x, y;
            GlfwNative.GetWindowPos(_handle, &x, &y);
            return (x, y);
        }
    }

    /// <summary>Moves the window (windowed only).</summary>
    public void MoveTo(int x, int y)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        GlfwNative.SetWindowPos(_handle, x, y);
    }

    /// <summary>Marks the window as asked to close by the window manager (what GLFW does on WM_DELETE_WINDOW; tests).</summary>
    internal void RequestClose()
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        GlfwNative.SetWindowShouldClose(_handle, 1);
    }

    /// <summary>Forgets a close request (the output stays up; see <see cref="CloseRequested"/>).</summary>
    public void ClearCloseRequest()
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        GlfwNative.SetWindowShouldClose(_handle, 0);
    }

    /// <summary>Asks for a new size; the framebuffer size follows when the window system has done it (after events are pumped).</summary>
    public void Resize(int widthPx, int heightPx)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        GlfwNative.SetWindowSize(_handle, widthPx, heightPx);
    }

    /// <summary>Makes the window's Vulkan surface on <paramref name="instance"/> (created with <see cref="GlfwSession.RequiredVulkanExtensions"/>).</summary>
    /// <exception cref="GlfwException">glfwCreateWindowSurface failed; its VkResult and GLFW's reason are in the message.</exception>
    public GpuSurface CreateSurface(GpuInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        ulong surface;
        int result = GlfwNative.CreateWindowSurface(instance.NativeHandle, _handle, null, &surface);
        if (result != 0) throw new GlfwException($"glfwCreateWindowSurface failed: VkResult {result} ({GlfwSession.TakeLastError() ?? "no GLFW error"})");
        return GpuSurface.Adopt(instance, surface);
    }

    /// <summary>A key event as GLFW would report it (the input seam: tests and synthetic input).</summary>
    /// <param name="keyCode">GLFW key token.</param>
    /// <param name="action">GLFW_PRESS (1), GLFW_RELEASE (0) or GLFW_REPEAT (2).</param>
    /// <param name="modifiers">GLFW modifier bits.</param>
    internal void DeliverKey(int keyCode, int action, int modifiers)
    {
        // Auto-repeat is dropped: a held F5 must start one take, and flying keys are read as held.
        if (action == GlfwNative.Repeat || Input is null) return;
        Input.Key(keyCode, (KeyModifiers)(modifiers & 7), action == GlfwNative.Press);
    }

    internal void DeliverCursor(double x, double y) => Input?.CursorMoved(x, y);

    internal void DeliverMouseButton(int button, int action) => Input?.MouseButton(button, action == GlfwNative.Press);

    internal void DeliverFramebufferSize(int width, int height)
    {
        FramebufferWidthPx = width;
        FramebufferHeightPx = height;
        Resizes++;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnKey(IntPtr window, int key, int scancode, int action, int mods)
    {
        if (Windows.TryGetValue(window, out GlfwWindow? w)) Guard(() => w.DeliverKey(key, action, mods));
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnCursor(IntPtr window, double x, double y)
    {
        if (Windows.TryGetValue(window, out GlfwWindow? w)) Guard(() => w.DeliverCursor(x, y));
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMouseButton(IntPtr window, int button, int action, int mods)
    {
        if (Windows.TryGetValue(window, out GlfwWindow? w)) Guard(() => w.DeliverMouseButton(button, action));
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnFramebufferSize(IntPtr window, int width, int height)
    {
        if (Windows.TryGetValue(window, out GlfwWindow? w)) w.DeliverFramebufferSize(width, height);
    }

    // An exception must not unwind through GLFW's C frames (that ends the process): keep it here.
    private static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            LastCallbackFault = e;
        }
    }

    /// <summary>The last exception an input listener threw inside a GLFW callback (kept, not rethrown through C).</summary>
    public static Exception? LastCallbackFault { get; private set; }

    /// <summary>Destroys the window (its surface must have been disposed first).</summary>
    public void Dispose()
    {
        if (_handle == IntPtr.Zero) return;
        Windows.Remove(_handle);
        GlfwNative.DestroyWindow(_handle);
        _handle = IntPtr.Zero;
    }
}
