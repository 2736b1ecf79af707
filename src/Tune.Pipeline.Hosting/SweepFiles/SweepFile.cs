using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting.SweepFiles;

/// <summary>
/// Represents a sweep file (<c>sweep.yaml</c>): every setting is optional, and <see langword="null"/> means "not set
/// here", so the embedded defaults apply and a command-line option can still override it.
/// </summary>
internal sealed record SweepFile
{
    /// <summary>Gets the file's name, as used in messages.</summary>
    public required string FileName { get; init; }

    /// <summary>Gets the file's text, recorded with a new sweep so that a resume reads the same settings.</summary>
    public string? Text { get; init; }

    /// <summary>Gets the sampler's <see cref="Samplers.SamplerCatalog"/> name.</summary>
    public string? Sampler { get; init; }

    /// <summary>Gets the sweep's seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Gets the early-stopping policy's options.</summary>
    public EarlyStoppingPolicyOptions? EarlyStopping { get; init; }

    /// <summary>Gets the budget.</summary>
    public SweepFileBudget Budget { get; init; } = new();

    /// <summary>Gets the agents.</summary>
    public SweepFileAgents Agents { get; init; } = new();

    /// <summary>Gets the store: <c>sqlite:path</c> or a <c>postgresql://</c> URL.</summary>
    public string? Store { get; init; }

    /// <summary>Gets the MLflow tracking server's URL.</summary>
    public Uri? TrackingUri { get; init; }

    /// <summary>Gets whether the best configuration is retrained on all data after the sweep.</summary>
    public bool? Retrain { get; init; }

    /// <summary>Gets the earlier sweeps (names in the store, or lock-file paths relative to the current folder) whose trials seed the sampler; <c>--warm-start</c> replaces them.</summary>
    public IReadOnlyList<string> WarmStart { get; init; } = [];

    /// <summary>Gets the publish settings.</summary>
    public SweepFilePublish Publish { get; init; } = new();

    /// <summary>Gets the search-space overrides: each narrows or re-scales a declared parameter.</summary>
    public SearchSpace? SpaceOverrides { get; init; }

    /// <summary>Gets where each override was written, for messages: parameter name to <c>file:line:column</c>.</summary>
    public IReadOnlyDictionary<string, string> OverrideLocations { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets where each key's value was written, for messages: dotted key (<c>budget.max-trials</c>) to <c>file:line:column</c>.</summary>
    public IReadOnlyDictionary<string, string> Locations { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the key that sets each <see cref="SweepOptions"/> property, so that its rules can name the key.</summary>
    public static IReadOnlyDictionary<string, string> OptionKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(SweepOptions.MaxTrials)] = "budget.max-trials",
        [nameof(SweepOptions.MaxConcurrentTrials)] = "budget.max-concurrent-trials",
        [nameof(SweepOptions.MaxDuration)] = "budget.max-duration",
        [nameof(SweepOptions.TrialTimeout)] = "budget.trial-timeout",
        [nameof(SweepOptions.MaxTrialsWithoutImprovement)] = "budget.max-trials-without-improvement",
        [nameof(SweepOptions.TargetValue)] = "budget.target-value",
        [nameof(SweepOptions.MaxRetries)] = "budget.max-retries",
        [nameof(SweepOptions.ThreadsPerTrial)] = "agents.cpu.threads-per-trial",
        [nameof(SweepOptions.Seed)] = "seed",
    };

    /// <summary>Copies the settings that are set into <paramref name="options"/>, leaving the others as they are.</summary>
    /// <param name="options">The sweep's options.</param>
    public void ApplyTo(SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Seed = Seed ?? options.Seed;
        options.MaxTrials = Budget.MaxTrials ?? options.MaxTrials;
        options.MaxConcurrentTrials = Budget.MaxConcurrentTrials ?? options.MaxConcurrentTrials;
        options.MaxDuration = Budget.MaxDuration ?? options.MaxDuration;
        options.TrialTimeout = Budget.TrialTimeout ?? options.TrialTimeout;
        options.MaxTrialsWithoutImprovement = Budget.MaxTrialsWithoutImprovement ?? options.MaxTrialsWithoutImprovement;
        options.TargetValue = Budget.TargetValue ?? options.TargetValue;
        options.MaxRetries = Budget.MaxRetries ?? options.MaxRetries;
        options.ThreadsPerTrial = Agents.ThreadsPerTrial ?? options.ThreadsPerTrial;
    }

    /// <summary>
    /// Applies the overrides to the space the experiment declares: each overridden parameter is replaced, in place,
    /// by its narrower or re-scaled definition. An override may not invent a parameter, change its kind of value,
    /// or widen it.
    /// </summary>
    /// <param name="declared">The attribute-declared (generated) search space.</param>
    /// <returns>The space to sweep; <paramref name="declared"/> itself when there are no overrides.</returns>
    /// <exception cref="SweepFileException">An override does not fit; every problem is listed with its location.</exception>
    public SearchSpace ApplySpaceOverrides(SearchSpace declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        if (SpaceOverrides is null)
        {
            return declared;
        }

        var problems = new List<string>();
        foreach (var parameter in SpaceOverrides.Parameters)
        {
            var at = OverrideLocations.TryGetValue(parameter.Name, out var location) ? location : FileName;
            if (declared.IndexOf(parameter.Name) < 0)
            {
                var suggestion = NameSuggester.Suggest(parameter.Name, declared.Parameters.Select(p => p.Name));
                problems.Add($"{at}: space override '{parameter.Name}' is not a parameter of the experiment{(suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")}; overrides may narrow or re-scale {string.Join(", ", declared.Parameters.Select(p => p.Name))}, not add parameters.");
                continue;
            }

            problems.AddRange(SpaceOverride.Check(declared[parameter.Name], parameter).Select(p => $"{at}: {p}"));
        }

        if (problems.Count > 0)
        {
            throw new SweepFileException(problems);
        }

        return new SearchSpace(declared.Parameters.Select(p => SpaceOverrides.IndexOf(p.Name) >= 0 ? SpaceOverrides[p.Name] : p));
    }
}

/// <summary>Represents the <c>budget:</c> section.</summary>
internal sealed record SweepFileBudget
{
    public int? MaxTrials { get; init; }

    public int? MaxConcurrentTrials { get; init; }

    public TimeSpan? MaxDuration { get; init; }

    public TimeSpan? TrialTimeout { get; init; }

    public int? MaxTrialsWithoutImprovement { get; init; }

    public double? TargetValue { get; init; }

    public int? MaxRetries { get; init; }
}

/// <summary>Represents the <c>agents:</c> section: CPU slot groups and GPU devices on this machine.</summary>
internal sealed record SweepFileAgents
{
    /// <summary>Gets the number of CPU agents (slot groups); <c>auto</c> leaves it to the host.</summary>
    public int? CpuSlotGroups { get; init; }

    /// <summary>Gets the threads each trial may use.</summary>
    public int? ThreadsPerTrial { get; init; }

    /// <summary>Gets the GPU device indexes to run agents on; empty for none, <see langword="null"/> for every device found (or when <see cref="HasGpu"/> is false).</summary>
    public IReadOnlyList<int>? GpuDevices { get; init; }

    /// <summary>Gets the launcher that places the agents (<c>agents.launcher</c>): local, slurm or kubernetes.</summary>
    public string? Launcher { get; init; }

    /// <summary>Gets the <c>agents.slurm</c> and <c>agents.kubernetes</c> sections.</summary>
    public Launchers.LauncherSettings LauncherSettings { get; init; } = new();
    /// <summary>Gets whether the file says <c>agents.gpu.devices</c> at all (<c>all</c> and an absent key both leave <see cref="GpuDevices"/> null).</summary>
    public bool HasGpu { get; init; }

    /// <summary>Gets <c>agents.gpu.devices</c> as <c>--gpus</c> takes it (<c>all</c>, <c>none</c>, <c>0,2</c>); <see langword="null"/> when the file does not say.</summary>
    public string? GpuText => !HasGpu ? null : GpuDevices is null ? "all" : GpuDevices.Count == 0 ? "none" : string.Join(',', GpuDevices.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Gets the agents to run on each GPU (<c>agents.gpu.trials-per-device</c>), so that one device runs that many trials at once.</summary>
    public int? GpuTrialsPerDevice { get; init; }
}

/// <summary>Represents the <c>publish:</c> section.</summary>
internal sealed record SweepFilePublish
{
    /// <summary>Gets whether the retrained model is published.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Gets the folder that receives <c>&lt;experiment&gt;/</c>.</summary>
    public string? Directory { get; init; }

    /// <summary>Gets the Azure Blob container to upload to.</summary>
    public string? AzureContainer { get; init; }

    /// <summary>Gets the blob prefix.</summary>
    public string? AzurePrefix { get; init; }

    /// <summary>Gets the name of the environment variable holding the connection string or SAS URL; the secret itself never goes in the file.</summary>
    public string? AzureCredentialVariable { get; init; }

    /// <summary>Gets the blob service URL for DefaultAzureCredential.</summary>
    public Uri? AzureServiceUri { get; init; }
}
