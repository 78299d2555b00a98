using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

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
    /// With <see cref="EnableValidation"/>: also the layer's synchronization validation (VK_EXT_validation_features),
    /// which reports hazards between submissions and frames in flight (a buffer rewritten while the GPU may read it).
    /// Slower; for tests of the frame path.
    /// </summary>
    public bool SynchronizationValidation { get; init; }

    /// <summary>
    /// Further instance extensions to enable, e.g. what a window system needs for surfaces (GLFW's
    /// <c>glfwGetRequiredInstanceExtensions</c>: VK_KHR_surface plus the platform's surface extension).
    /// An extension the loader does not offer fails creation with a message naming it.
    /// </summary>
    public IReadOnlyList<string> Extensions { get; init; } = [];

    /// <summary>
    /// Instance extensions enabled only where the loader offers them (e.g. <see cref="GpuInstance.SwapchainColourSpaceExtension"/>
    /// for window outputs): their absence is no fault, <see cref="GpuInstance.EnabledExtensions"/> says what was enabled.
    /// </summary>
    public IReadOnlyList<string> OptionalExtensions { get; init; } = [];
}

/// <summary>A Vulkan 1.3 instance: the loader, the optional validation layer, and the physical devices.</summary>
public sealed unsafe class GpuInstance : IDisposable
{
    /// <summary>The validation layer's extension that turns on synchronization validation.</summary>
    private const string ValidationFeaturesExtension = "VK_EXT_validation_features";

    /// <summary>Stage requires Vulkan 1.3 (dynamic rendering, synchronization2, timeline semaphores in core).</summary>
    public static readonly GpuApiVersion RequiredVersion = new(1, 3, 0);

    private const string ValidationLayer = "VK_LAYER_KHRONOS_validation";

    private readonly DebugUtilsMessengerEXT _messenger;
    private readonly DebugUtilsCommands? _debugUtils;
    private GCHandle _logHandle;
    private bool _disposed;

    private GpuInstance(Vk vk, Instance handle, ValidationLog? log, GCHandle logHandle, DebugUtilsCommands? debugUtils, DebugUtilsMessengerEXT messenger,
        IReadOnlyList<string> extensions)
    {
        EnabledExtensions = extensions;
        Vk = vk;
        Handle = handle;
        Validation = log;
        _logHandle = logHandle;
        _debugUtils = debugUtils;
        _messenger = messenger;
        // Loaded once, here: a missing command is named now, not as a null call later.
        Surfaces = SupportsSurfaces ? new SurfaceCommands(vk, handle) : null;
    }

    /// <summary>The instance handle.</summary>
    internal Instance Handle { get; }

    /// <summary>
    /// The VkInstance handle as a pointer-sized number, for a window system that creates surfaces itself
    /// (<c>glfwCreateWindowSurface</c>); adopt the surface it makes with <see cref="GpuSurface.Adopt"/>.
    /// </summary>
    public nint NativeHandle => Handle.Handle;

    /// <summary>The instance extensions enabled (validation's debug utils and <see cref="GpuInstanceOptions.Extensions"/>).</summary>
    public IReadOnlyList<string> EnabledExtensions { get; }

    /// <summary>True when surfaces can be presented to (VK_KHR_surface enabled): devices then enable VK_KHR_swapchain.</summary>
    public bool SupportsSurfaces => EnabledExtensions.Contains(ExtensionNames.Surface);

    /// <summary>VK_EXT_swapchain_colorspace: swapchains in colour spaces beyond SRGB_NONLINEAR, HDR10 (ST 2084) among them.</summary>
    public const string SwapchainColourSpaceExtension = ExtensionNames.SwapchainColorspace;

    /// <summary>True when <see cref="SwapchainColourSpaceExtension"/> is enabled (a PQ window output may then be HDR10).</summary>
    public bool SupportsSwapchainColourSpaces => EnabledExtensions.Contains(ExtensionNames.SwapchainColorspace);

    /// <summary>Instance-level commands (Silk.NET's <see cref="Silk.NET.Vulkan.Vk"/>, bound to this instance).</summary>
    internal Vk Vk { get; }

    /// <summary>VK_KHR_surface's commands, when surfaces are enabled.</summary>
    internal SurfaceCommands? Surfaces { get; }

    /// <summary>The collected validation messages, when validation was enabled; otherwise null.</summary>
    public ValidationLog? Validation { get; }

    /// <summary>The loader's instance version (what <c>vkEnumerateInstanceVersion</c> reports).</summary>
    /// <exception cref="GpuUnavailableException">No Vulkan loader is installed.</exception>
    public static GpuApiVersion LoaderVersion()
    {
        Vk vk = VulkanApi.Load();
        uint version;
        vk.EnumerateInstanceVersion(&version).Check("vkEnumerateInstanceVersion");
        return GpuApiVersion.FromPacked(version);
    }

    /// <summary>Creates an instance.</summary>
    /// <exception cref="GpuUnavailableException">No loader, a loader older than 1.3, or validation asked for but not installed.</exception>
    /// <exception cref="VulkanException">vkCreateInstance or the messenger creation failed.</exception>
    public static GpuInstance Create(GpuInstanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Vk vk = VulkanApi.Load();
        uint loaderVersion;
        vk.EnumerateInstanceVersion(&loaderVersion).Check("vkEnumerateInstanceVersion");
        if (GpuApiVersion.FromPacked(loaderVersion) < RequiredVersion)
            throw new GpuUnavailableException($"the Vulkan loader is {GpuApiVersion.FromPacked(loaderVersion)}; Stage needs {RequiredVersion}");

        var layers = new List<string>();
        var extensions = new List<string>();
        if (options.EnableValidation)
        {
            if (!InstanceLayers(vk).Contains(ValidationLayer))
                throw new GpuUnavailableException($"{ValidationLayer} is not installed (Debian: vulkan-validationlayers)");
            layers.Add(ValidationLayer);
            extensions.Add(ExtensionNames.DebugUtils);
            if (options.SynchronizationValidation) extensions.Add(ValidationFeaturesExtension);
        }
        foreach (var extension in options.Extensions ?? [])
        {
            if (!extensions.Contains(extension)) extensions.Add(extension);
        }
        if (options.OptionalExtensions is { Count: > 0 })
        {
            var offered = InstanceExtensions(vk);
            foreach (var extension in options.OptionalExtensions)
                if (offered.Contains(extension) && !extensions.Contains(extension)) extensions.Add(extension);
        }
        if (options.Extensions is { Count: > 0 })
        {
            var offered = InstanceExtensions(vk);
            var missing = options.Extensions.Where(e => !offered.Contains(e)).ToList();
            if (missing.Count > 0) throw new GpuUnavailableException($"the Vulkan loader does not offer {string.Join(", ", missing)}");
        }

        using var strings = new NativeStrings();
        var appInfo = new ApplicationInfo(pApplicationName: strings.Add(options.ApplicationName), applicationVersion: 1, pEngineName: strings.Add("Stage"),
            engineVersion: 1, apiVersion: RequiredVersion.Packed);
        var layerNames = strings.AddArray(layers);
        var extensionNames = strings.AddArray(extensions);

        ValidationLog? log = null;
        GCHandle logHandle = default;
        var messengerInfo = new DebugUtilsMessengerCreateInfoEXT(pNext: null);
        if (options.EnableValidation)
        {
            log = new ValidationLog();
            logHandle = GCHandle.Alloc(log);
            messengerInfo = MessengerInfo(logHandle);
        }
        var syncFeature = ValidationFeatureEnableEXT.SynchronizationValidationExt;
        var features = new ValidationFeaturesEXT(enabledValidationFeatureCount: 1, pEnabledValidationFeatures: &syncFeature);
        if (options.EnableValidation && options.SynchronizationValidation) messengerInfo.PNext = &features;
        // Chaining the messenger info also catches messages of vkCreateInstance / vkDestroyInstance themselves.
        var createInfo = new InstanceCreateInfo(pNext: options.EnableValidation ? &messengerInfo : null, pApplicationInfo: &appInfo,
            enabledLayerCount: (uint)layers.Count, ppEnabledLayerNames: layerNames,
            enabledExtensionCount: (uint)extensions.Count, ppEnabledExtensionNames: extensionNames);
        Instance instance;
        var result = vk.CreateInstance(&createInfo, null, &instance);
        if (result != Result.Success)
        {
            if (logHandle.IsAllocated) logHandle.Free();
            throw new VulkanException("vkCreateInstance", result);
        }
        vk.CurrentInstance = instance;
        DebugUtilsCommands? debugUtils = null;
        var messenger = default(DebugUtilsMessengerEXT);
        if (options.EnableValidation)
        {
            try
            {
                debugUtils = new DebugUtilsCommands(vk, instance);
                debugUtils.CreateMessenger(instance, &messengerInfo, null, &messenger).Check("vkCreateDebugUtilsMessengerEXT");
            }
            catch
            {
                vk.DestroyInstance(instance, null);
                logHandle.Free();
                throw;
            }
        }
        try
        {
            return new GpuInstance(vk, instance, log, logHandle, debugUtils, messenger, extensions);
        }
        catch
        {
            if (debugUtils is not null) debugUtils.DestroyMessenger(instance, messenger, null);
            vk.DestroyInstance(instance, null);
            if (logHandle.IsAllocated) logHandle.Free();
            throw;
        }
    }

    private static DebugUtilsMessengerCreateInfoEXT MessengerInfo(GCHandle logHandle) => new(
        messageSeverity: DebugUtilsMessageSeverityFlagsEXT.WarningBitExt | DebugUtilsMessageSeverityFlagsEXT.ErrorBitExt,
        messageType: DebugUtilsMessageTypeFlagsEXT.GeneralBitExt | DebugUtilsMessageTypeFlagsEXT.ValidationBitExt | DebugUtilsMessageTypeFlagsEXT.PerformanceBitExt,
        pfnUserCallback: new PfnDebugUtilsMessengerCallbackEXT(&OnDebugMessage),
        pUserData: (void*)GCHandle.ToIntPtr(logHandle));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static Bool32 OnDebugMessage(
        DebugUtilsMessageSeverityFlagsEXT severity,
        DebugUtilsMessageTypeFlagsEXT types,
        DebugUtilsMessengerCallbackDataEXT* data,
        void* userData)
    {
        if (GCHandle.FromIntPtr((nint)userData).Target is ValidationLog log)
        {
            var id = data->PMessageIdName == null ? "" : Marshal.PtrToStringUTF8((nint)data->PMessageIdName) ?? "";
            var text = data->PMessage == null ? "" : Marshal.PtrToStringUTF8((nint)data->PMessage) ?? "";
            log.Add(new ValidationMessage(severity, types, id, text));
        }
        // VK_FALSE: the call that triggered the message proceeds, as the spec requires of applications.
        return false;
    }

    private static HashSet<string> InstanceLayers(Vk vk)
    {
        uint count;
        vk.EnumerateInstanceLayerProperties(&count, null).Check("vkEnumerateInstanceLayerProperties");
        var properties = new LayerProperties[count];
        fixed (LayerProperties* p = properties)
        {
            vk.EnumerateInstanceLayerProperties(&count, p).Check("vkEnumerateInstanceLayerProperties", Result.Incomplete);
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < count; i++) names.Add(NativeText.Of(p[i].LayerName));
            return names;
        }
    }

    private static HashSet<string> InstanceExtensions(Vk vk)
    {
        uint count;
        vk.EnumerateInstanceExtensionProperties((byte*)null, &count, null).Check("vkEnumerateInstanceExtensionProperties");
        var properties = new ExtensionProperties[count];
        fixed (ExtensionProperties* p = properties)
        {
            vk.EnumerateInstanceExtensionProperties((byte*)null, &count, p).Check("vkEnumerateInstanceExtensionProperties", Result.Incomplete);
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < count; i++) names.Add(NativeText.Of(p[i].ExtensionName));
            return names;
        }
    }

    /// <summary>Every physical device the loader reports, with what Stage needs of each.</summary>
    public IReadOnlyList<GpuDeviceInfo> Devices()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        uint count;
        Vk.EnumeratePhysicalDevices(Handle, &count, null).Check("vkEnumeratePhysicalDevices");
        var handles = new PhysicalDevice[count];
        fixed (PhysicalDevice* p = handles)
        {
            Vk.EnumeratePhysicalDevices(Handle, &count, p).Check("vkEnumeratePhysicalDevices", Result.Incomplete);
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
        if (_debugUtils is not null) _debugUtils.DestroyMessenger(Handle, _messenger, null);
        Vk.DestroyInstance(Handle, null);
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
