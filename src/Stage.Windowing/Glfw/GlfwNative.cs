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

}
