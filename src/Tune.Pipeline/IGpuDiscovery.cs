namespace Tune.Pipeline;

/// <summary>Finds the GPUs of this machine that GPU agents can run on. Tune.Pipeline.Gpu implements it with ILGPU.</summary>
/// <remarks>A port: Core and Hosting name it, an experiment opts into GPU agents by referencing the package that implements it.</remarks>
public interface IGpuDiscovery
{
    /// <summary>Lists the GPUs found, by index; empty (never an exception) on a machine without one or without its driver.</summary>
    /// <returns>The devices, in index order.</returns>
    IReadOnlyList<GpuDeviceInfo> FindGpus();
}

/// <summary>A GPU that <see cref="IGpuDiscovery"/> found.</summary>
/// <param name="Index">Its index: the <c>N</c> of <c>--gpus</c> and of its name <c>cuda:N</c>.</param>
/// <param name="Name">Its device name (<see cref="Devices.Cuda"/>), given to the agent that runs on it.</param>
/// <param name="Description">What the driver calls it, with its memory, for messages.</param>
public sealed record GpuDeviceInfo(int Index, string Name, string Description);

/// <summary>Names the <see cref="IGpuDiscovery"/> of an assembly that adds GPU agents.</summary>
/// <param name="discoveryType">The implementation; it needs a public parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class GpuDiscoveryProviderAttribute(Type discoveryType) : Attribute
{
    /// <summary>Gets the implementation's type.</summary>
    public Type DiscoveryType { get; } = discoveryType;
}
