using System.Text.Json.Nodes;

namespace Tune.Pipeline.Publishing.Wire;

// The files' shapes. Enums travel as lower-case words chosen in WireNames, not as numbers, so the files stay readable
// and do not change when an enum gains a member.

/// <summary>The shape of <c>manifest.json</c>.</summary>
internal sealed class ManifestDocument
{
    public int SchemaVersion { get; set; } = 1;

    public required string Experiment { get; set; }

    public required ObjectiveDocument Objective { get; set; }

    public required JsonObject Parameters { get; set; }

    public required ManifestSweepDocument Sweep { get; set; }

    public required string SpaceFingerprint { get; set; }

    public required string GitCommit { get; set; }

    public string? DataFingerprint { get; set; }

    public required DateTime PublishedAt { get; set; }

    public required string ToolVersion { get; set; }

    public required List<FileDocument> Files { get; set; }
}

internal sealed class ObjectiveDocument
{
    public required string Metric { get; set; }

    public required string Goal { get; set; }

    public required double Value { get; set; }
}

internal sealed class ManifestSweepDocument
{
    public required string Name { get; set; }

    public required long Seed { get; set; }

    public required int BestTrial { get; set; }

    public required long BestTrialSeed { get; set; }

    public required int Trials { get; set; }

    public required string StopReason { get; set; }
}

internal sealed class FileDocument
{
    public required string Path { get; set; }

    public required long Bytes { get; set; }

    public required string Sha256 { get; set; }
}

/// <summary>The shape of <c>sweep.lock.json</c>.</summary>
internal sealed class LockDocument
{
    public int SchemaVersion { get; set; } = 1;

    public required string Experiment { get; set; }

    public required string Sweep { get; set; }

    public required long Seed { get; set; }

    public required string Sampler { get; set; }

    public required string SpaceFingerprint { get; set; }

    public required string Goal { get; set; }

    public required string StopReason { get; set; }

    public int? BestTrial { get; set; }

    public int? MaxConcurrentTrials { get; set; }

    public required List<LockTrialDocument> Trials { get; set; }

    /// <summary>Gets or sets the earlier trials the sampler was warm-started with, in the order it saw them; absent when none.</summary>
    public List<LockTrialDocument>? WarmStart { get; set; }
}

internal sealed class LockTrialDocument
{
    public required int Number { get; set; }

    public required JsonObject Configuration { get; set; }

    public required string State { get; set; }

    public double? Value { get; set; }

    public required long Seed { get; set; }

    public int Attempts { get; set; }

    public string? Error { get; set; }
}
