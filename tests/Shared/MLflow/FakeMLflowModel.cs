namespace Tune.Pipeline.Testing.MLflow;

/// <summary>One HTTP request as <see cref="FakeMLflowServer"/> received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string Body, int BodyBytes, string? Authorization, bool Faulted);

/// <summary>An experiment held by <see cref="FakeMLflowServer"/>.</summary>
public sealed class FakeExperiment
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string LifecycleStage { get; set; } = "active";

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}

/// <summary>A run held by <see cref="FakeMLflowServer"/>.</summary>
public sealed class FakeRun
{
    public required string Id { get; init; }

    public required string ExperimentId { get; init; }

    public string? Name { get; set; }

    public string Status { get; set; } = "RUNNING";

    public long StartTime { get; init; }

    public long? EndTime { get; set; }

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);

    /// <summary>Every distinct metric value received, in arrival order.</summary>
    public List<FakeMetric> Metrics { get; } = [];
}

/// <summary>A metric value held by <see cref="FakeMLflowServer"/>.</summary>
public sealed record FakeMetric(string Key, double Value, long Timestamp, long Step);

/// <summary>A model version held by <see cref="FakeMLflowServer"/>.</summary>
public sealed record FakeModelVersion(string Name, string Version, string Source, string? RunId);
