namespace Tune.Pipeline.Publishing;

/// <summary>Names the <see cref="IArtifactUploaderProvider"/> of an assembly that adds an upload of published folders.</summary>
/// <param name="providerType">The provider; it needs a public parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ArtifactUploaderProviderAttribute(Type providerType) : Attribute
{
    /// <summary>Gets the provider's type.</summary>
    public Type ProviderType { get; } = providerType;
}
