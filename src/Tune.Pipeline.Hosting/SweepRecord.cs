using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Stores;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Represents what the host records with a sweep when it creates it (as <see cref="Sweeps.SweepOptions.Settings"/>),
/// so that <c>sweep --resume</c> restores the sweep as it was started: its budget, concurrency and agents, sampler,
/// seed, warm-start sources, and the sweep file (early stopping, space overrides) it ran with.
/// </summary>
/// <remarks>
/// A resume reads this back; an option given again must agree with it, or the resume is refused naming both values.
/// Where and how the model is published, tracking, and the store itself are not part of a sweep's identity and may
/// change on resume.
/// </remarks>
internal sealed record SweepRecord
{
    public required string Experiment { get; init; }

    public required string ObjectiveMetric { get; init; }

    public required int MaxTrials { get; init; }

    public required int MaxConcurrentTrials { get; init; }

    public required int Agents { get; init; }

    /// <summary>Gets the launcher the agents ran with; <see langword="null"/> in records written before launchers existed, which ran local agents.</summary>
    public string? Launcher { get; init; }

    public required int ThreadsPerTrial { get; init; }

    public required int MaxRetries { get; init; }

    public required long Seed { get; init; }

    public required string Sampler { get; init; }

    /// <summary>Gets the GPU agents asked for (<c>all</c>, or indexes such as <c>0,2</c>); <see langword="null"/> for none.</summary>
    public string? Gpus { get; init; }

    /// <summary>Gets the agents on each GPU; <see langword="null"/> when no GPU agents were asked for.</summary>
    public int? TrialsPerGpu { get; init; }

    public string? SweepFileName { get; init; }

    /// <summary>Gets the warm-start sources (sweep names or lock files) as given; <see langword="null"/> in a record written before they were recorded.</summary>
    public IReadOnlyList<string>? WarmStart { get; init; }

    public string? SweepFileText { get; init; }

    /// <summary>Records the settings a new sweep runs with.</summary>
    public static SweepRecord Of(SweepSettings settings, ExperimentIdentity identity, long seed) => new()
    {
        Experiment = identity.Name,
        ObjectiveMetric = identity.ObjectiveMetric,
        MaxTrials = settings.MaxTrials,
        MaxConcurrentTrials = settings.MaxConcurrentTrials,
        Agents = settings.Agents,
        Launcher = settings.Launcher,
        ThreadsPerTrial = settings.ThreadsPerTrial,
        MaxRetries = settings.MaxRetries,
        Seed = seed,
        Sampler = settings.Sampler,
        Gpus = settings.Gpus?.Text,
        TrialsPerGpu = settings.Gpus?.TrialsPerDevice,
        SweepFileName = settings.File?.FileName,
        SweepFileText = settings.File?.Text,
        WarmStart = settings.WarmStart,
    };

    /// <summary>Reads the record of a stored sweep; a sweep created before records existed gets one from its status.</summary>
    public static SweepRecord Read(SweepStatus status, ExperimentIdentity identity)
    {
        if (status.Settings is { } json)
        {
            try
            {
                if (JsonSerializer.Deserialize(json, SweepRecordJson.Default.SweepRecord) is { } record)
                {
                    return record;
                }
            }
            catch (JsonException)
            {
                // Not ours (written by another tool or a future version): fall back to the columns every store has.
            }
        }

        return new SweepRecord
        {
            Experiment = identity.Name,
            ObjectiveMetric = identity.ObjectiveMetric,
            MaxTrials = status.MaxTrials ?? new Sweeps.SweepOptions().MaxTrials,
            MaxConcurrentTrials = status.MaxConcurrentTrials ?? 1,
            Agents = 1,
            ThreadsPerTrial = Math.Max(1, Environment.ProcessorCount),
            MaxRetries = status.MaxRetries ?? 0,
            Seed = status.Seed,
            Sampler = status.SamplerName,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, SweepRecordJson.Default.SweepRecord);

    /// <summary>The command-line arguments that reproduce this record's settings.</summary>
    public SweepArguments ToArguments(SweepArguments given) => given with
    {
        Config = null,
        MaxTrials = MaxTrials,
        MaxConcurrentTrials = MaxConcurrentTrials,
        Agents = Agents,
        Launcher = Launcher ?? Launchers.AgentLaunchers.Local,
        ThreadsPerTrial = ThreadsPerTrial,
        MaxRetries = MaxRetries,
        Seed = Seed,
        Sampler = Sampler,

        // An older record has none: the recorded sweep file's warm-start, if any, then speaks for it.
        WarmStart = WarmStart ?? [],

        // Asked for again, and found again on this machine: a resume runs on the GPUs it finds now.
        Gpus = Gpus ?? "none",
        TrialsPerGpu = TrialsPerGpu,

        // The agent count was accepted (forced, if need be) when the sweep was created.
        Force = true,
    };

    /// <summary>The sweep file the sweep was created with, parsed again; <see langword="null"/> when it had none.</summary>
    public SweepFile? ReadSweepFile() =>
        SweepFileName is { } name && SweepFileText is { } text ? SweepFileParser.Parse(text, name) : null;

    /// <summary>
    /// Lists every setting that defines a sweep (its budget, concurrency, agents, sampler, seed, early stopping) where
    /// <paramref name="resumed"/> differs from <paramref name="recorded"/>, each naming both values.
    /// </summary>
    public static IReadOnlyList<string> Differences(SweepSettings recorded, SweepSettings resumed)
    {
        var was = Defining(recorded);
        var now = Defining(resumed);
        return [.. was.Keys.Where(k => !string.Equals(was[k], now[k], StringComparison.Ordinal)).Select(k => $"{k}: recorded {was[k]}, given {now[k]}")];
    }

    private static Dictionary<string, string> Defining(SweepSettings settings)
    {
        var budget = settings.File?.Budget ?? new SweepFileBudget();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["max-trials"] = Text(settings.MaxTrials),
            ["max-concurrent-trials"] = Text(settings.MaxConcurrentTrials),
            ["agents"] = Text(settings.Agents),
            ["launcher"] = settings.Launcher,
            ["threads-per-trial"] = Text(settings.ThreadsPerTrial),
            ["max-retries"] = Text(settings.MaxRetries),
            ["seed"] = Text(settings.Seed),
            ["sampler"] = settings.Sampler.ToLowerInvariant(),
            ["gpus"] = settings.Gpus?.Text ?? "(none)",
            ["trials-per-gpu"] = Text(settings.Gpus?.TrialsPerDevice),
            ["budget.max-duration"] = Text(budget.MaxDuration),
            ["budget.trial-timeout"] = Text(budget.TrialTimeout),
            ["budget.max-trials-without-improvement"] = Text(budget.MaxTrialsWithoutImprovement),
            ["budget.target-value"] = Text(budget.TargetValue),
            ["early-stopping"] = Describe(settings.EarlyStopping),
            ["warm-start"] = settings.WarmStart.Count == 0 ? "(none)" : string.Join(", ", settings.WarmStart),
        };
    }

    private static string Text(object? value) => value switch
    {
        null => "(none)",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(none)",
    };

    // A policy's options by their public properties: two files that say the same thing describe it the same way.
    private static string Describe(object? options) => options is null
        ? "(none)"
        : $"{options.GetType().Name}({string.Join(", ", options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={Text(p.GetValue(options))}"))})";
}

/// <summary>The record's JSON, serialized without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SweepRecord))]
internal sealed partial class SweepRecordJson : JsonSerializerContext;
