using System.Runtime.InteropServices;
using System.Text;
using Stage.Vulkan.Native;

namespace Stage.Vulkan;

/// <summary>How to create a <see cref="GpuInstance"/>.</summary>
public sealed record GpuInstanceOptions
{
    /// <summary>The application name the driver sees.</summary>
    public string ApplicationName { get; init; } = "Stage";

    /// <summary>
    /// Enables VK_LAYER_KHRONOS_validation and a debug-utils messenger that collects every warning
    /// and error into <see cref="GpuInstance.Validation"/>. Always on in tests; an option in the engine.
    /// </summary>
    public bool EnableValidation { get; init; }

    /// <summary>
    /// Further instance extensions to enable, e.g. what a window system needs for surfaces (GLFW's
    /// <c>glfwGetRequiredInstanceExtensions</c>: VK_KHR_surface plus the platform's surface extension).
    /// An extension the loader does not offer fails creation with a message naming it.
    /// </summary>
    public IReadOnlyList<string> Extensions { get; init; } = [];
}

/// <summary>A Vulkan 1.3 instance: the loader, the optional validation layer, and the physical devices.</summary>
public sealed unsafe class GpuInstance : IDisposable
{
    /// <summary>Stage requires Vulkan 1.3 (dynamic rendering, synchronization2, timeline semaphores in core).</summary>
    public static readonly GpuApiVersion RequiredVersion = new(1, 3, 0);

    private const string ValidationLayer = "VK_LAYER_KHRONOS_validation";

    private readonly VkDebugUtilsMessengerEXT _messenger;
    private GCHandle _logHandle;
    private bool _disposed;

    private GpuInstance(VkInstance handle, VkInstanceCommands commands, ValidationLog? log, GCHandle logHandle, VkDebugUtilsMessengerEXT messenger,
        IReadOnlyList<string> extensions)
    {
        EnabledExtensions = extensions;
        Handle = handle;
        Commands = commands;
        Validation = log;
        _logHandle = logHandle;
        _messenger = messenger;
    }

    /// <summary>The instance handle.</summary>
    internal VkInstance Handle { get; }

    /// <summary>
    /// The VkInstance handle as a pointer-sized number, for a window system that creates surfaces itself
    /// (<c>glfwCreateWindowSurface</c>); adopt the surface it makes with <see cref="GpuSurface.Adopt"/>.
    /// </summary>
    public nint NativeHandle => Handle.Handle;

    /// <summary>The instance extensions enabled (validation's debug utils and <see cref="GpuInstanceOptions.Extensions"/>).</summary>
    public IReadOnlyList<string> EnabledExtensions { get; }

    /// <summary>True when surfaces can be presented to (VK_KHR_surface enabled): devices then enable VK_KHR_swapchain.</summary>
    public bool SupportsSurfaces => EnabledExtensions.Contains(Vk.VK_KHR_SURFACE_EXTENSION_NAME);

    /// <summary>Instance-level commands.</summary>
    internal VkInstanceCommands Commands { get; }

    /// <summary>The collected validation messages, when validation was enabled; otherwise null.</summary>
    public ValidationLog? Validation { get; }

    /// <summary>The loader's instance version (what <c>vkEnumerateInstanceVersion</c> reports).</summary>
    public static GpuApiVersion LoaderVersion()
    {
        var global = new VkGlobalCommands(VulkanLoader.GetInstanceProcAddr);
        uint version;
        global.vkEnumerateInstanceVersion(&version).Check("vkEnumerateInstanceVersion");
        return GpuApiVersion.FromPacked(version);
    }

    /// <summary>Creates an instance.</summary>
    /// <exception cref="GpuUnavailableException">No loader, a loader older than 1.3, or validation asked for but not installed.</exception>
    /// <exception cref="VulkanException">vkCreateInstance or the messenger creation failed.</exception>
    public static GpuInstance Create(GpuInstanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var global = new VkGlobalCommands(VulkanLoader.GetInstanceProcAddr);
        uint loaderVersion;
        global.vkEnumerateInstanceVersion(&loaderVersion).Check("vkEnumerateInstanceVersion");
        if (GpuApiVersion.FromPacked(loaderVersion) < RequiredVersion)
            throw new GpuUnavailableException($"the Vulkan loader is {GpuApiVersion.FromPacked(loaderVersion)}; Stage needs {RequiredVersion}");

        var layers = new List<string>();
        var extensions = new List<string>();
        if (options.EnableValidation)
        {
            if (!InstanceLayers(global).Contains(ValidationLayer))
                throw new GpuUnavailableException($"{ValidationLayer} is not installed (Debian: vulkan-validationlayers)");
            layers.Add(ValidationLayer);
            extensions.Add(Vk.VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
        }
        foreach (var extension in options.Extensions ?? [])
        {
            if (!extensions.Contains(extension)) extensions.Add(extension);
        }
        if (options.Extensions is { Count: > 0 })
        {
            var offered = InstanceExtensions(global);
            var missing = options.Extensions.Where(e => !offered.Contains(e)).ToList();
            if (missing.Count > 0) throw new GpuUnavailableException($"the Vulkan loader does not offer {string.Join(", ", missing)}");
        }

        using var strings = new NativeStrings();
        var appInfo = new VkApplicationInfo
        {
            pApplicationName = strings.Add(options.ApplicationName),
            applicationVersion = 1,
            pEngineName = strings.Add("Stage"),
            engineVersion = 1,
            apiVersion = RequiredVersion.Packed,
        };
        var layerNames = strings.AddArray(layers);
        var extensionNames = strings.AddArray(extensions);

        ValidationLog? log = null;
        GCHandle logHandle = default;
        var messengerInfo = new VkDebugUtilsMessengerCreateInfoEXT();
        if (options.EnableValidation)
        {
            log = new ValidationLog();
            logHandle = GCHandle.Alloc(log);
            messengerInfo = MessengerInfo(logHandle);
        }
        var createInfo = new VkInstanceCreateInfo
        {
            // Chaining the messenger info also catches messages of vkCreateInstance / vkDestroyInstance themselves.
            pNext = options.EnableValidation ? &messengerInfo : null,
            pApplicationInfo = &appInfo,
            enabledLayerCount = (uint)layers.Count,
            ppEnabledLayerNames = layerNames,
            enabledExtensionCount = (uint)extensions.Count,
            ppEnabledExtensionNames = extensionNames,
        };
        VkInstance instance;
        var result = global.vkCreateInstance(&createInfo, null, &instance);
        if (result != VkResult.VK_SUCCESS)
        {
            if (logHandle.IsAllocated) logHandle.Free();
            throw new VulkanException("vkCreateInstance", result);
        }
        var commands = new VkInstanceCommands(instance, VulkanLoader.GetInstanceProcAddr);
        var messenger = VkDebugUtilsMessengerEXT.Null;
        if (options.EnableValidation)
        {
            result = commands.vkCreateDebugUtilsMessengerEXT(instance, &messengerInfo, null, &messenger);
            if (result != VkResult.VK_SUCCESS)
            {
                commands.vkDestroyInstance(instance, null);
                logHandle.Free();
                throw new VulkanException("vkCreateDebugUtilsMessengerEXT", result);
            }
        }
        return new GpuInstance(instance, commands, log, logHandle, messenger, extensions);
    }

    private static VkDebugUtilsMessengerCreateInfoEXT MessengerInfo(GCHandle logHandle) => new()
    {
        messageSeverity = VkDebugUtilsMessageSeverityFlagsEXT.VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT
            | VkDebugUtilsMessageSeverityFlagsEXT.VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
        messageType = VkDebugUtilsMessageTypeFlagsEXT.VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT
            | VkDebugUtilsMessageTypeFlagsEXT.VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
            | VkDebugUtilsMessageTypeFlagsEXT.VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
        pfnUserCallback = &OnDebugMessage,
        pUserData = (void*)GCHandle.ToIntPtr(logHandle),
    };

    [UnmanagedCallersOnly]
    private static VkBool32 OnDebugMessage(
        VkDebugUtilsMessageSeverityFlagsEXT severity,
        VkDebugUtilsMessageTypeFlagsEXT types,
        VkDebugUtilsMessengerCallbackDataEXT* data,
        void* userData)
    {
        if (GCHandle.FromIntPtr((nint)userData).Target is ValidationLog log)
        {
            var id = data->pMessageIdName == null ? "" : Marshal.PtrToStringUTF8((nint)data->pMessageIdName) ?? "";
            var text = data->pMessage == null ? "" : Marshal.PtrToStringUTF8((nint)data->pMessage) ?? "";
            log.Add(new ValidationMessage(severity, types, id, text));
        }
        // VK_FALSE: the call that triggered the message proceeds, as the spec requires of applications.
        return VkBool32.False;
    }

    private static HashSet<string> InstanceLayers(VkGlobalCommands global)
    {
        uint count;
        global.vkEnumerateInstanceLayerProperties(&count, null).Check("vkEnumerateInstanceLayerProperties");
        var properties = new VkLayerProperties[count];
        fixed (VkLayerProperties* p = properties)
        {
            global.vkEnumerateInstanceLayerProperties(&count, p).Check("vkEnumerateInstanceLayerProperties", VkResult.VK_INCOMPLETE);
        }
        return properties.Take((int)count).Select(l => l.layerNameString).ToHashSet(StringComparer.Ordinal);
    }

    private static HashSet<string> InstanceExtensions(VkGlobalCommands global)
    {
        uint count;
        global.vkEnumerateInstanceExtensionProperties(null, &count, null).Check("vkEnumerateInstanceExtensionProperties");
        var properties = new VkExtensionProperties[count];
        fixed (VkExtensionProperties* p = properties)
        {
            global.vkEnumerateInstanceExtensionProperties(null, &count, p).Check("vkEnumerateInstanceExtensionProperties", VkResult.VK_INCOMPLETE);
        }
        return properties.Take((int)count).Select(e => e.extensionNameString).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every physical device the loader reports, with what Stage needs of each.</summary>
    public IReadOnlyList<GpuDeviceInfo> Devices()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        uint count;
        Commands.vkEnumeratePhysicalDevices(Handle, &count, null).Check("vkEnumeratePhysicalDevices");
        var handles = new VkPhysicalDevice[count];
        fixed (VkPhysicalDevice* p = handles)
        {
            Commands.vkEnumeratePhysicalDevices(Handle, &count, p).Check("vkEnumeratePhysicalDevices", VkResult.VK_INCOMPLETE);
        }
        return handles.Take((int)count).Select((h, i) => GpuDeviceInfo.Query(this, h, i)).ToList();
    }

    /// <summary>Chooses a device (see <see cref="GpuDeviceSelector"/>) and creates it.</summary>
    /// <param name="request">A device index or a part of its name; null reads <c>STAGE_GPU</c>, then chooses the best.</param>
    public GpuDevice CreateDevice(string? request = null)
    {
        var chosen = GpuDeviceSelector.Select(Devices(), request ?? Environment.GetEnvironmentVariable(GpuDeviceSelector.EnvironmentVariable));
        return GpuDevice.Create(this, chosen);
    }

    /// <summary>Destroys the messenger and the instance. Every device must have been disposed first.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_messenger.IsNull) Commands.vkDestroyDebugUtilsMessengerEXT(Handle, _messenger, null);
        Commands.vkDestroyInstance(Handle, null);
        if (_logHandle.IsAllocated) _logHandle.Free();
    }
}

/// <summary>A Vulkan version (major.minor.patch), comparable.</summary>
/// <param name="Major">Major version.</param>
/// <param name="Minor">Minor version.</param>
/// <param name="Patch">Patch version.</param>
public readonly record struct GpuApiVersion(int Major, int Minor, int Patch) : IComparable<GpuApiVersion>
{
    /// <summary>VK_MAKE_API_VERSION(0, major, minor, patch).</summary>
    public uint Packed => ((uint)Major << 22) | ((uint)Minor << 12) | (uint)Patch;

    /// <summary>Unpacks a version as Vulkan encodes it (variant bits ignored).</summary>
    public static GpuApiVersion FromPacked(uint packed) =>
        new((int)((packed >> 22) & 0x7F), (int)((packed >> 12) & 0x3FF), (int)(packed & 0xFFF));

    /// <inheritdoc/>
    public int CompareTo(GpuApiVersion other) => Packed.CompareTo(other.Packed);

    /// <summary>Orders versions.</summary>
    public static bool operator <(GpuApiVersion left, GpuApiVersion right) => left.CompareTo(right) < 0;

    /// <summary>Orders versions.</summary>
    public static bool operator >(GpuApiVersion left, GpuApiVersion right) => left.CompareTo(right) > 0;

    /// <summary>Orders versions.</summary>
    public static bool operator <=(GpuApiVersion left, GpuApiVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Orders versions.</summary>
    public static bool operator >=(GpuApiVersion left, GpuApiVersion right) => left.CompareTo(right) >= 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}

/// <summary>UTF-8, NUL-terminated copies of strings for the duration of a native call.</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly List<nint> _blocks = [];

    /// <summary>Copies one string.</summary>
    public byte* Add(string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        var p = (byte*)NativeMemory.Alloc((nuint)bytes + 1);
        _blocks.Add((nint)p);
        Encoding.UTF8.GetBytes(text, new Span<byte>(p, bytes));
        p[bytes] = 0;
        return p;
    }

    /// <summary>Copies a list of strings and returns the array of pointers (null when empty).</summary>
    public byte** AddArray(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) return null;
        var array = (byte**)NativeMemory.Alloc((nuint)(texts.Count * sizeof(byte*)));
        _blocks.Add((nint)array);
        for (var i = 0; i < texts.Count; i++) array[i] = Add(texts[i]);
        return array;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var p in _blocks) NativeMemory.Free((void*)p);
        _blocks.Clear();
    }
}
