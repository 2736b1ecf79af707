using System.Reflection;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Loads what an experiment executable opts into by referencing a package (a sweep store, MLflow tracking, an upload):
/// Hosting names the package's assembly but does not reference it, so an executable carries only what its project asks
/// for, and the assembly is loaded only when a command line asks for what it adds.
/// </summary>
internal static class OptionalPackages
{
    /// <summary>Loads a package's assembly and creates the provider its assembly attribute names.</summary>
    /// <typeparam name="TAttribute">The assembly attribute that names the provider.</typeparam>
    /// <typeparam name="TProvider">The provider's interface.</typeparam>
    /// <param name="assemblyName">The package's assembly, such as <c>Tune.Pipeline.MLflow</c>.</param>
    /// <param name="providerType">Reads the provider's type from the attribute.</param>
    /// <returns>The provider, or <see langword="null"/> when the executable does not carry the package.</returns>
    public static TProvider? Load<TAttribute, TProvider>(string assemblyName, Func<TAttribute, Type> providerType)
        where TAttribute : Attribute
        where TProvider : class
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(assemblyName));
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        return assembly.GetCustomAttribute<TAttribute>() is { } attribute
            ? (TProvider?)Activator.CreateInstance(providerType(attribute))
            : null;
    }

    /// <summary>
    /// Gets how this executable lists the machine's GPUs: Tune.Pipeline.Gpu's discovery when the experiment carries
    /// that package (loaded only when a sweep asks for GPU agents), else <see langword="null"/>.
    /// </summary>
    /// <returns>The discovery, or <see langword="null"/>.</returns>
    public static Func<IReadOnlyList<GpuDeviceInfo>>? GpuDiscovery() =>
        Load<GpuDiscoveryProviderAttribute, IGpuDiscovery>("Tune.Pipeline.Gpu", a => a.DiscoveryType) is { } discovery ? discovery.FindGpus : null;

    /// <summary>Gets the fix for a missing package, to end a message with.</summary>
    /// <param name="assemblyName">The package's name.</param>
    /// <returns>The words "add &lt;PackageReference ... /&gt; ... and build it again".</returns>
    public static string HowToAdd(string assemblyName) =>
        $"add <PackageReference Include=\"{assemblyName}\" /> (or a project reference) to the experiment's project and build it again";
}
