using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.Stopping;

namespace Tune.Pipeline.Hosting;

/// <summary>The <c>sweep</c> and <c>retrain</c> verbs' options as given on the command line; <see langword="null"/> where not given.</summary>
internal sealed record SweepArguments
{
    public string? Config { get; init; }

    public string? Store { get; init; }

    public string? SweepName { get; init; }

    public bool Resume { get; init; }

    public int? MaxTrials { get; init; }

    public int? Agents { get; init; }

    public int? ThreadsPerTrial { get; init; }

    public long? Seed { get; init; }

    public string? Sampler { get; init; }

    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool Force { get; init; }

    public int? MaxRetries { get; init; }

    public int? MaxConcurrentTrials { get; init; }

    public string? Artifacts { get; init; }

    public bool NoPublish { get; init; }

    public string? AzureContainer { get; init; }

    public string? AzurePrefix { get; init; }
}

/// <summary>
/// Represents what a sweep runs with: each setting from the command line, else the sweep file, else the embedded
/// default, so that a committed <c>sweep.yaml</c> holds a team's settings and one run can still change one of them.
/// </summary>
internal sealed record SweepSettings
{
    /// <summary>The variable that holds the Azure Storage connection string or SAS URL unless the sweep file names another.</summary>
    public const string DefaultAzureCredentialVariable = "AZURE_STORAGE_CONNECTION_STRING"; // AzureBlobPublishOptions.DefaultCredentialVariable; the Azure package is opt-in, so not referenced (a test keeps the two equal).

    public required string Store { get; init; }

    public required string SweepName { get; init; }

    public required int MaxTrials { get; init; }

    public required int Agents { get; init; }

    public required int ThreadsPerTrial { get; init; }

    public required int MaxConcurrentTrials { get; init; }

    public required int MaxRetries { get; init; }

    public long? Seed { get; init; }

    public required string Sampler { get; init; }

    public EarlyStoppingPolicyOptions? EarlyStopping { get; init; }

    public required string Artifacts { get; init; }

    public required bool Publish { get; init; }

    public AzureTarget? Azure { get; init; }

    public Uri? TrackingUri { get; init; }

    public SweepFile? File { get; init; }

    /// <summary>Combines the command line with the sweep file it names, if any.</summary>
    /// <param name="arguments">The command line's options.</param>
    /// <param name="experimentName">The experiment's name: the default sweep name and Azure prefix.</param>
    /// <param name="samplers">The sampler names the host accepts.</param>
    /// <param name="home">The sweep home, where the default store and artifacts live.</param>
    /// <param name="recordedFile">The sweep file a resumed sweep was created with, used when <c>--config</c> is not given.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="UsageException">An option is out of range, or names an unknown sampler.</exception>
    /// <exception cref="SweepFileException">The sweep file is missing or has mistakes.</exception>
    public static SweepSettings Resolve(SweepArguments arguments, string experimentName, IEnumerable<string> samplers, SweepHome home, SweepFile? recordedFile = null)
    {
        var file = arguments.Config is { } path ? SweepFileParser.Load(path) : recordedFile;
        if (arguments.MaxTrials is < 1 || arguments.Agents is < 0 || arguments.MaxRetries is < 0 || arguments.ThreadsPerTrial is < 1 || arguments.MaxConcurrentTrials is < 1 or > 4096)
        {
            throw new UsageException("--max-trials and --threads-per-trial must be at least 1, --max-concurrent-trials between 1 and 4096, --agents and --max-retries at least 0.");
        }

        if (file?.Agents.GpuDevices is { Count: > 0 })
        {
            throw new UsageException($"{file.FileName}: agents.gpu.devices asks for GPU agents, which this version does not run yet; remove agents.gpu (trials run on CPU agents).");
        }

        var sampler = arguments.Sampler ?? file?.Sampler ?? SamplerCatalog.DefaultName;
        if (!samplers.Contains(sampler, StringComparer.OrdinalIgnoreCase))
        {
            var suggestion = NameSuggester.Suggest(sampler, samplers);
            throw new UsageException($"'{sampler}' is not a sampler.{(suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?")} Use one of: {string.Join(", ", samplers)}.");
        }

        var agents = arguments.Agents ?? file?.Agents.CpuSlotGroups ?? 1;
        var container = arguments.AzureContainer ?? file?.Publish.AzureContainer;
        return new SweepSettings
        {
            File = file,
            Store = arguments.Store ?? file?.Store ?? home.DefaultStore,
            SweepName = arguments.SweepName ?? experimentName,
            MaxTrials = arguments.MaxTrials ?? file?.Budget.MaxTrials ?? 100,
            Agents = agents,
            ThreadsPerTrial = arguments.ThreadsPerTrial ?? file?.Agents.ThreadsPerTrial ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, agents)),

            // Four trials in flight per agent: an agent that finishes one finds the next queued even while the controller is
            // still recording the last result (measured: the trivial-objective throughput rose by half over two per agent).
            MaxConcurrentTrials = arguments.MaxConcurrentTrials ?? file?.Budget.MaxConcurrentTrials ?? Math.Max(4, 4 * agents),
            MaxRetries = arguments.MaxRetries ?? file?.Budget.MaxRetries ?? 2,
            Seed = arguments.Seed ?? file?.Seed,
            Sampler = sampler,
            EarlyStopping = file?.EarlyStopping,
            Artifacts = arguments.Artifacts ?? file?.Publish.Directory ?? home.Artifacts,
            Publish = !arguments.NoPublish && file?.Retrain != false && file?.Publish.Enabled != false,
            Azure = container is null && file?.Publish.AzureServiceUri is null
                ? null
                : new AzureTarget(
                    container,
                    arguments.AzurePrefix ?? file?.Publish.AzurePrefix ?? experimentName,
                    file?.Publish.AzureCredentialVariable ?? DefaultAzureCredentialVariable,
                    file?.Publish.AzureServiceUri),
            TrackingUri = file?.TrackingUri,
        };
    }
}

/// <summary>Where the published folder is uploaded: a container and prefix, and the variable holding the secret.</summary>
/// <param name="Container">The container's name; a container SAS URL may name it instead.</param>
/// <param name="Prefix">The blob prefix.</param>
/// <param name="CredentialVariable">The environment variable that holds a connection string or SAS URL.</param>
/// <param name="ServiceUri">The blob service's URL, for DefaultAzureCredential when the variable is not set.</param>
internal sealed record AzureTarget(string? Container, string Prefix, string CredentialVariable, Uri? ServiceUri);
