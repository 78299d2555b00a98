using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using Stage.Render.Sky;
using Stage.Render.Gpu;
using Stage.Vulkan;
using Silk.NET.Vulkan;

namespace Stage.Render.Scene;

/// <summary>
/// The scene's <see cref="SceneEnvironment"/> on the GPU: the prefiltered radiance mip chain (<see cref="EnvironmentBake"/>)
/// as one image and its SH coefficients for the frame uniforms. An image environment is baked once per instance. The
/// physical sky is baked when it first appears and again whenever the sun has turned more than
/// <see cref="RebakeAngleDeg"/> or its illuminance changed: those re-bakes run on a worker thread and the new sky
/// replaces the old one the first frame after it is done, so the live path never waits for a bake (only for its
/// upload, a few hundred KB). A new image is a new <see cref="GpuImage"/>: frame slots still reading the old one keep it
/// until they are rewritten (<see cref="Version"/>), and it is destroyed once the GPU is done with it.
/// </summary>
internal sealed class EnvironmentLight : IDisposable
{
    /// <summary>The sun's turn that re-bakes the physical sky, degrees (the sun moves 0.25° a minute at time-of-day scale 1).</summary>
    public const float RebakeAngleDeg = 0.25f;

    private readonly GpuDevice _device;
    private readonly InputColour _input;
    private SceneEnvironment? _baked;
    private Vector3 _bakedToSun;
    private float _bakedSunLux;
    private Task<(EnvironmentBake Bake, double Ms)>? _pending;
    private (Vector3 ToSun, float SunLux) _pendingKey;
    private bool _disposed;

    public EnvironmentLight(GpuDevice device, InputColour input = default)
    {
        _device = device;
        _input = input;
        Sampler = new GpuSampler(device, new GpuSamplerDesc
        {
            Filter = Filter.Linear,
            AddressMode = SamplerAddressMode.Repeat,
            AddressModeV = SamplerAddressMode.ClampToEdge,
            Mipmaps = true,
            MipmapMode = SamplerMipmapMode.Linear,
            MaxLod = EnvironmentBake.Levels - 1,
        });
        Image = new GpuImage(device, 1, 1, Format.R16G16B16A16Sfloat, ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit);
        GpuTransfers.UploadImage(device, Image, new byte[8]);
    }

    /// <summary>The radiance mip chain (a black texel until an environment is baked).</summary>
    public GpuImage Image { get; private set; }

    /// <summary>Its sampler: linear, mips linear, wrapping across u, clamped at the poles.</summary>
    public GpuSampler Sampler { get; }

    /// <summary>Incremented whenever <see cref="Image"/> is replaced (frame slots rewrite their descriptor).</summary>
    public int Version { get; private set; }

    /// <summary>True when an environment lights the scene this frame (false: the uniform ambient).</summary>
    public bool Active { get; private set; }

    /// <summary>The SH coefficients of E(n)/π, cd/m² (exposure of the environment included).</summary>
    public Vector3[] Irradiance { get; private set; } = new Vector3[SphericalHarmonics.Count];

    /// <summary>Radiance = the image's stored texel × this.</summary>
    public float StoredScale { get; private set; } = 1;

    /// <summary>The image's turn in turns (u offset).</summary>
    public float RotationTurns { get; private set; }

    /// <summary>Bakes done so far (each one a new image).</summary>
    public int Bakes { get; private set; }

    /// <summary>CPU time of the last bake, ms (on the worker for a re-bake).</summary>
    public double LastBakeMs { get; private set; }

    /// <summary>Time the live path spent on the last new environment (a first bake, or the upload of a re-bake), ms.</summary>
    public double LastLivePathMs { get; private set; }

    /// <summary>Brings the GPU environment up to <paramref name="scene"/>'s.</summary>
    public void Update(RenderScene scene)
    {
        SceneEnvironment? environment = scene.Environment;
        if (environment is null)
        {
            Active = false;
            return;
        }
        Vector3 toSun = -Vector3.Normalize(scene.SunDirection);
        float sunLux = scene.SunIlluminanceLux;
        if (!ReferenceEquals(environment, _baked))
        {
            // A new environment shows at once: baked here (a scene load, or `stage render`'s one frame).
            long start = Stopwatch.GetTimestamp();
            (EnvironmentBake bake, double ms) = Bake(environment, toSun, sunLux, _input);
            _pending = null;
            Adopt(environment, bake, toSun, sunLux, ms);
            LastLivePathMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        else if (environment.Image is null)
        {
            if (_pending is { IsCompleted: true } done)
            {
                long start = Stopwatch.GetTimestamp();
                (EnvironmentBake bake, double ms) = done.Result;
                _pending = null;
                Adopt(environment, bake, _pendingKey.ToSun, _pendingKey.SunLux, ms);
                LastLivePathMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            else if (_pending is null && (AngleDeg(toSun, _bakedToSun) > RebakeAngleDeg || sunLux != _bakedSunLux))
            {
                StartBake(environment, toSun, sunLux);
            }
        }
        Active = true;
    }

    /// <summary>Starts a re-bake on a worker (its own method: the lambda's captured state is allocated only here, never per frame).</summary>
    private void StartBake(SceneEnvironment environment, Vector3 toSun, float sunLux)
    {
        _pendingKey = (toSun, sunLux);
        _pending = Task.Run(() => Bake(environment, toSun, sunLux, _input));
    }

    /// <summary>Waits for a re-bake in progress, if any (tests and offline renders that want the sky of this very sun).</summary>
    public void WaitForBake(RenderScene scene)
    {
        if (_pending is null) return;
        _pending.Wait();
        Update(scene);
    }

    private static double AngleDeg(Vector3 a, Vector3 b) => Math.Acos(Math.Clamp(Vector3.Dot(a, b), -1f, 1f)) * 180 / Math.PI;

    /// <summary>
    /// The radiance map of <paramref name="environment"/> for a sun toward <paramref name="toSun"/> of <paramref name="sunLux"/>,
    /// in the working space of <paramref name="input"/> (the sky model and Radiance images are Rec.709-referred), baked.
    /// </summary>
    public static (EnvironmentBake Bake, double Ms) Bake(SceneEnvironment environment, Vector3 toSun, float sunLux, InputColour input = default)
    {
        long start = Stopwatch.GetTimestamp();
        EquirectMap radiance = EnvironmentRadiance.Map(environment, toSun, sunLux);
        if (!input.IsIdentity) radiance = radiance.Converted(input.ToWorking);
        EnvironmentBake bake = EnvironmentBake.From(radiance, environment.Image is null ? 0 : environment.RotationDeg);
        return (bake, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    private void Adopt(SceneEnvironment environment, EnvironmentBake bake, Vector3 toSun, float sunLux, double bakeMs)
    {
        var image = new GpuImage(_device, EnvironmentBake.BaseWidth, EnvironmentBake.BaseWidth / 2, Format.R16G16B16A16Sfloat,
            ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit, mipLevels: EnvironmentBake.Levels);
        Upload(image, bake);
        Image.Dispose();
        Image = image;
        Version++;
        Bakes++;
        LastBakeMs = bakeMs;
        _baked = environment;
        _bakedToSun = toSun;
        _bakedSunLux = sunLux;
        Irradiance = bake.Irradiance;
        StoredScale = bake.StoredScale;
        RotationTurns = (float)(environment.RotationDeg / 360.0);
    }

    private void Upload(GpuImage image, EnvironmentBake bake)
    {
        long total = 0;
        foreach (Half[] level in bake.LevelsRgba) total += level.Length * 2L;
        using var staging = new GpuBuffer(_device, (ulong)total, BufferUsageFlags.TransferSrcBit, GpuMemoryUse.Upload);
        ulong offset = 0;
        foreach (Half[] level in bake.LevelsRgba)
        {
            staging.Write(MemoryMarshal.AsBytes(level.AsSpan()), offset);
            offset += (ulong)level.Length * 2;
        }
        using var pool = new GpuCommandPool(_device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        cmd.Barrier(image, ImageLayout.Undefined, ImageLayout.TransferDstOptimal, PipelineStageFlags2.None, AccessFlags2.None,
            PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit);
        offset = 0;
        for (uint k = 0; k < bake.LevelsRgba.Length; k++)
        {
            cmd.CopyBufferToImage(staging, image, 0, offset, k);
            offset += (ulong)bake.LevelsRgba[k].Length * 2;
        }
        cmd.Barrier(image, ImageLayout.TransferDstOptimal, ImageLayout.ShaderReadOnlyOptimal, PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
            PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderSampledReadBit);
        cmd.End();
        _device.Wait(_device.Submit(cmd));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _pending?.Wait();
        Image.Dispose();
        Sampler.Dispose();
    }
}
