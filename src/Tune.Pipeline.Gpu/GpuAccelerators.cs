using System.Globalization;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

[assembly: Tune.Pipeline.GpuDiscoveryProvider(typeof(Tune.Pipeline.Gpu.GpuAccelerators))]

namespace Tune.Pipeline.Gpu;

/// <summary>
/// Finds CUDA devices through ILGPU and opens the accelerator for an agent's device: the CUDA device a GPU agent was
/// given (<see cref="TrialContext.Device"/>, <see cref="ExperimentContext.Device"/>), ILGPU's CPU accelerator otherwise.
/// </summary>
public sealed class GpuAccelerators : IGpuDiscovery
{
    /// <inheritdoc/>
    public IReadOnlyList<GpuDeviceInfo> FindGpus() => Find();

    /// <summary>Lists the CUDA devices ILGPU finds; empty on a machine without a GPU or without the CUDA driver.</summary>
    /// <returns>The devices in ILGPU's (the driver's) order.</returns>
    public static IReadOnlyList<GpuDeviceInfo> Find()
    {
        // ILGPU looks for the driver library (libcuda.so.1, nvcuda.dll) itself and lists no CUDA device when it is
        // missing; a driver that is present but broken throws from the context instead, which is "no GPU" here too.
        try
        {
            using var context = Context.Create(builder => builder.Cuda());
            var found = new List<GpuDeviceInfo>();
            foreach (var device in context.GetCudaDevices())
            {
                found.Add(new GpuDeviceInfo(found.Count, Devices.Cuda(found.Count), Describe(device)));
            }

            return found;
        }
        catch (Exception exception) when (exception is CudaException or DllNotFoundException or TypeInitializationException or NotSupportedException)
        {
            return [];
        }
    }

    /// <summary>Opens the accelerator for a device name: a CUDA device for <c>cuda:N</c>, ILGPU's CPU accelerator for <see langword="null"/>.</summary>
    /// <param name="device">The agent's device, from <see cref="TrialContext.Device"/> or <see cref="ExperimentContext.Device"/>.</param>
    /// <param name="threads">The CPU accelerator's threads (its multiprocessors), from the context's threads; unused on a GPU.</param>
    /// <returns>The open accelerator with its ILGPU context; dispose it to release both.</returns>
    /// <exception cref="ArgumentException"><paramref name="device"/> is not <c>cuda:N</c>, or no such CUDA device is found.</exception>
    public static GpuAccelerator Open(string? device, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (device is null)
        {
            // One warp of two threads (ILGPU's least) per multiprocessor, one multiprocessor per thread: the kernel's threads are spread over few OS threads
            // with no simulated warps to synchronise; the kernels here use no shared memory or barriers.
            var cpu = Context.Create(builder => builder.CPU(new CPUDevice(2, 1, threads)).EnableAlgorithms());
            return new GpuAccelerator(cpu, cpu.CreateCPUAccelerator(0, CPUAcceleratorMode.Parallel));
        }

        if (!Devices.TryParseCuda(device, out var index))
        {
            throw new ArgumentException($"Device '{device}' is not a device name; GPU agents are given cuda:N (N from 0), CPU agents no device.", nameof(device));
        }

        // Algorithms: XMath's exp and log, which kernels use, on every backend.
        var context = Context.Create(builder => builder.Cuda().EnableAlgorithms());
        var found = new List<CudaDevice>();
        foreach (var cuda in context.GetCudaDevices())
        {
            found.Add(cuda);
        }

        if (index >= found.Count)
        {
            context.Dispose();
            throw new ArgumentException(
                found.Count == 0
                    ? $"Device '{device}' is not on this machine: ILGPU finds no CUDA device here. Give the agent no device to run on the CPU."
                    : string.Create(CultureInfo.InvariantCulture, $"Device '{device}' is not on this machine: ILGPU finds {found.Count} CUDA device(s). Give the agent one of cuda:0..cuda:{found.Count - 1}, or no device for the CPU."),
                nameof(device));
        }

        return new GpuAccelerator(context, found[index].CreateAccelerator(context));
    }

    private static string Describe(CudaDevice device) =>
        string.Create(CultureInfo.InvariantCulture, $"{device.Name} ({device.MemorySize / (1024.0 * 1024 * 1024):0.#} GiB)");
}

/// <summary>An open ILGPU accelerator and the context it belongs to, released together.</summary>
public sealed class GpuAccelerator : IDisposable
{
    internal GpuAccelerator(Context context, Accelerator accelerator)
    {
        Context = context;
        Accelerator = accelerator;
    }

    /// <summary>Gets the ILGPU context.</summary>
    public Context Context { get; }

    /// <summary>Gets the accelerator kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Gets whether this is a CUDA device (not the CPU accelerator).</summary>
    public bool IsGpu => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <inheritdoc/>
    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
