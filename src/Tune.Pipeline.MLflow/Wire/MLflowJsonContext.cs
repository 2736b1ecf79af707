using System.Text.Json.Serialization;

namespace Tune.Pipeline.Tracking.MLflow.Wire;

/// <summary>
/// The source-generated serializer for MLflow payloads: snake_case names, nulls left out, and named floating-point
/// literals so that NaN and infinities travel as <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>, as MLflow's
/// protobuf JSON writes them. Numbers written as strings (protobuf's int64 form) are read too.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(GetExperimentResponse))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(WireMetric))]
[JsonSerializable(typeof(WireKeyValue))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(UpdateRunResponse))]
[JsonSerializable(typeof(SearchRunsRequest))]
[JsonSerializable(typeof(SearchRunsResponse))]
[JsonSerializable(typeof(MetricHistoryResponse))]
[JsonSerializable(typeof(CreateRegisteredModelRequest))]
[JsonSerializable(typeof(RegisteredModelResponse))]
[JsonSerializable(typeof(CreateModelVersionRequest))]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(EmptyResponse))]
internal sealed partial class MLflowJsonContext : JsonSerializerContext;
