using System.Runtime.InteropServices;

namespace Stage.Windowing.Glfw;

/// <summary>GLFW's <c>GLFWvidmode</c>: six C ints.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GlfwVideoMode
{
    public int Width;
    public int Height;
    public int RedBits;
    public int GreenBits;
    public int BlueBits;
    public int RefreshRate;
}

/// <summary>The GLFW 3.3 C functions Stage calls (Debian <c>libglfw3</c>: <c>libglfw.so.3</c>).</summary>
internal static unsafe partial class GlfwNative
{
    private const string Library = "glfw";

    static GlfwNative()
    {
        // Debian ships libglfw.so.3 without the unversioned development link; resolve it by name.
        NativeLibrary.SetDllImportResolver(typeof(GlfwNative).Assembly, static (name, assembly, path) =>
        {
            if (name != Library) return IntPtr.Zero;
            foreach (string candidate in new[] { "libglfw.so.3", "libglfw.so", "glfw3.dll", "libglfw.3.dylib" })
            {
                if (NativeLibrary.TryLoad(candidate, assembly, path, out IntPtr handle)) return handle;
            }
            return IntPtr.Zero;
        });
    }

    public const int True = 1;
    public const int NotInitialized = 0x00010001;
    public const int PlatformError = 0x00010008;

    /// <summary>libc's setenv: GLFW reads DISPLAY with getenv, which .NET's Environment does not change on Unix.</summary>
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetEnv(string name, string value, int overwrite);

    /// <summary>libc's unsetenv.</summary>
    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnsetEnv(string name);

    [LibraryImport(Library, EntryPoint = "glfwInit")]
    public static partial int Init();

    [LibraryImport(Library, EntryPoint = "glfwTerminate")]
    public static partial void Terminate();

    [LibraryImport(Library, EntryPoint = "glfwGetVersionString")]
    public static partial byte* GetVersionString();

    [LibraryImport(Library, EntryPoint = "glfwSetErrorCallback")]
    public static partial IntPtr SetErrorCallback(delegate* unmanaged[Cdecl]<int, byte*, void> callback);

    [LibraryImport(Library, EntryPoint = "glfwGetMonitors")]
    public static partial IntPtr* GetMonitors(int* count);

    [LibraryImport(Library, EntryPoint = "glfwGetPrimaryMonitor")]
    public static partial IntPtr GetPrimaryMonitor();

    [LibraryImport(Library, EntryPoint = "glfwGetMonitorName")]
    public static partial byte* GetMonitorName(IntPtr monitor);

    [LibraryImport(Library, EntryPoint = "glfwGetMonitorPos")]
    public static partial void GetMonitorPos(IntPtr monitor, int* x, int* y);

    [LibraryImport(Library, EntryPoint = "glfwGetMonitorPhysicalSize")]
    public static partial void GetMonitorPhysicalSize(IntPtr monitor, int* widthMm, int* heightMm);

    [LibraryImport(Library, EntryPoint = "glfwGetVideoModes")]
    public static partial GlfwVideoMode* GetVideoModes(IntPtr monitor, int* count);

    [LibraryImport(Library, EntryPoint = "glfwGetVideoMode")]
    public static partial GlfwVideoMode* GetVideoMode(IntPtr monitor);

    // Window hints and values (glfw3.h).
    public const int ClientApi = 0x00022001;
    public const int NoApi = 0;
    public const int Resizable = 0x00020003;
    public const int Visible = 0x00020004;
    public const int Decorated = 0x00020005;
    public const int AutoIconify = 0x00020006;
    public const int FocusOnShow = 0x0002000C;
    public const int RefreshRate = 0x0002100F;
    public const int Press = 1;
    public const int Release = 0;
    public const int Repeat = 2;

    [LibraryImport(Library, EntryPoint = "glfwDefaultWindowHints")]
    public static partial void DefaultWindowHints();

    [LibraryImport(Library, EntryPoint = "glfwWindowHint")]
    public static partial void WindowHint(int hint, int value);

    [LibraryImport(Library, EntryPoint = "glfwCreateWindow")]
    public static partial IntPtr CreateWindow(int width, int height, byte* title, IntPtr monitor, IntPtr share);

    [LibraryImport(Library, EntryPoint = "glfwDestroyWindow")]
    public static partial void DestroyWindow(IntPtr window);

    [LibraryImport(Library, EntryPoint = "glfwWindowShouldClose")]
    public static partial int WindowShouldClose(IntPtr window);

    [LibraryImport(Library, EntryPoint = "glfwSetWindowShouldClose")]
    public static partial void SetWindowShouldClose(IntPtr window, int value);

    [LibraryImport(Library, EntryPoint = "glfwPollEvents")]
    public static partial void PollEvents();

    [LibraryImport(Library, EntryPoint = "glfwGetFramebufferSize")]
    public static partial void GetFramebufferSize(IntPtr window, int* width, int* height);

    [LibraryImport(Library, EntryPoint = "glfwSetWindowSize")]
    public static partial void SetWindowSize(IntPtr window, int width, int height);

    [LibraryImport(Library, EntryPoint = "glfwGetX11Window")]
    public static partial nuint GetX11Window(IntPtr window);

    [LibraryImport(Library, EntryPoint = "glfwGetWindowPos")]
    public static partial void GetWindowPos(IntPtr window, int* x, int* y);

    [LibraryImport(Library, EntryPoint = "glfwSetWindowPos")]
    public static partial void SetWindowPos(IntPtr window, int x, int y);

    [LibraryImport(Library, EntryPoint = "glfwSetWindowUserPointer")]
    public static partial void SetWindowUserPointer(IntPtr window, IntPtr pointer);

    [LibraryImport(Library, EntryPoint = "glfwGetWindowUserPointer")]
    public static partial IntPtr GetWindowUserPointer(IntPtr window);

    [LibraryImport(Library, EntryPoint = "glfwSetKeyCallback")]
    public static partial IntPtr SetKeyCallback(IntPtr window, delegate* unmanaged[Cdecl]<IntPtr, int, int, int, int, void> callback);

    [LibraryImport(Library, EntryPoint = "glfwSetCursorPosCallback")]
    public static partial IntPtr SetCursorPosCallback(IntPtr window, delegate* unmanaged[Cdecl]<IntPtr, double, double, void> callback);

    [LibraryImport(Library, EntryPoint = "glfwSetMouseButtonCallback")]
    public static partial IntPtr SetMouseButtonCallback(IntPtr window, delegate* unmanaged[Cdecl]<IntPtr, int, int, int, void> callback);

    [LibraryImport(Library, EntryPoint = "glfwSetFramebufferSizeCallback")]
    public static partial IntPtr SetFramebufferSizeCallback(IntPtr window, delegate* unmanaged[Cdecl]<IntPtr, int, int, void> callback);

    [LibraryImport(Library, EntryPoint = "glfwJoystickIsGamepad")]
    public static partial int JoystickIsGamepad(int joystick);

    [LibraryImport(Library, EntryPoint = "glfwGetGamepadState")]
    public static partial int GetGamepadState(int joystick, GlfwGamepadState* state);

    [LibraryImport(Library, EntryPoint = "glfwGetGamepadName")]
    public static partial byte* GetGamepadName(int joystick);

    [LibraryImport(Library, EntryPoint = "glfwVulkanSupported")]
    public static partial int VulkanSupported();

    [LibraryImport(Library, EntryPoint = "glfwGetRequiredInstanceExtensions")]
    public static partial byte** GetRequiredInstanceExtensions(uint* count);

    /// <summary>VkResult glfwCreateWindowSurface(VkInstance, GLFWwindow*, const VkAllocationCallbacks*, VkSurfaceKHR*).</summary>
    [LibraryImport(Library, EntryPoint = "glfwCreateWindowSurface")]
    public static partial int CreateWindowSurface(IntPtr instance, IntPtr window, void* allocator, ulong* surface);
}

/// <summary>GLFW's <c>GLFWgamepadstate</c>: 15 button bytes, then (after one byte of padding) 6 float axes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GlfwGamepadState
{
    public fixed byte Buttons[15];
    public fixed float Axes[6];
}
