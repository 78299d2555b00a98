using System.Runtime.InteropServices;

namespace Stage.Vulkan;

/// <summary>Text in Vulkan's fixed-size <c>char[N]</c> fields (names, driver info): UTF-8 up to the first NUL.</summary>
internal static unsafe class NativeText
{
    /// <summary>The string at <paramref name="text"/>.</summary>
    public static string Of(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? "";
}
