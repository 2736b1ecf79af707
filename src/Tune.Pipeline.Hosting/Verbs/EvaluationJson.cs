using System.Text.Json.Serialization;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary>What <c>evaluate --output</c> writes: each seed and the objective value its trial reached, in order.</summary>
/// <param name="Seeds">The seeds.</param>
/// <param name="Values">The objective values, one per seed.</param>
internal sealed record EvaluationJson(long[] Seeds, double[] Values);

/// <summary>The source-generated serializer of <see cref="EvaluationJson"/> (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EvaluationJson))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
