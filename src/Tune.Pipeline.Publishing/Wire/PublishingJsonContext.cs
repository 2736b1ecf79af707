using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tune.Pipeline.Publishing.Wire;

/// <summary>
/// The source-generated serializer for the published files: camelCase, indented, nulls left out. System.Text.Json
/// writes doubles in their shortest round-trip form and always with the invariant culture, so a value read back is
/// the value written.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(LockDocument))]
internal sealed partial class PublishingJsonContext : JsonSerializerContext
{
    /// <summary>Gets a context that also keeps non-ASCII text and '+' readable: these are files, never embedded in HTML.</summary>
    public static PublishingJsonContext Files { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
