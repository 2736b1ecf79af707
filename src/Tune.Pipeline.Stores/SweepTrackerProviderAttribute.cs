namespace Tune.Pipeline.Stores;

/// <summary>Names the <see cref="ISweepTrackerProvider"/> of an assembly that adds sweep tracking.</summary>
/// <param name="providerType">The provider; it needs a public parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class SweepTrackerProviderAttribute(Type providerType) : Attribute
{
    /// <summary>Gets the provider's type.</summary>
    public Type ProviderType { get; } = providerType;
}
