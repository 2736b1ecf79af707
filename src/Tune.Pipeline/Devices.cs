using System.Globalization;

namespace Tune.Pipeline;

/// <summary>
/// Names the devices GPU agents run on: <c>cuda:N</c> is the N-th CUDA device in the order ILGPU lists them (which is
/// the CUDA driver's order). A CPU agent has no device name (<see langword="null"/>).
/// </summary>
/// <remarks>A name, not a handle: Core opens nothing; an experiment opens the device through Tune.Pipeline.Gpu.</remarks>
public static class Devices
{
    private const string CudaPrefix = "cuda:";

    /// <summary>Gets the name of a CUDA device.</summary>
    /// <param name="index">The device's index, from 0.</param>
    /// <returns><c>cuda:</c> and the index.</returns>
    public static string Cuda(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return CudaPrefix + index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a device name written by <see cref="Cuda"/>.</summary>
    /// <param name="name">The name, such as <c>cuda:1</c>.</param>
    /// <param name="index">The CUDA device's index.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is <c>cuda:</c> followed by a non-negative integer.</returns>
    public static bool TryParseCuda(string? name, out int index)
    {
        index = -1;
        return name is not null
            && name.StartsWith(CudaPrefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(CudaPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
