namespace Tune.Pipeline.Stores;

/// <summary>Names the <see cref="ISweepStoreProvider"/> of an assembly that adds a sweep store.</summary>
/// <param name="providerType">The provider; it needs a public parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class SweepStoreProviderAttribute(Type providerType) : Attribute
{
    /// <summary>Gets the provider's type.</summary>
    public Type ProviderType { get; } = providerType;
}
