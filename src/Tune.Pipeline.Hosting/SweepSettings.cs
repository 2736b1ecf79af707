using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Tune.Pipeline.Hosting.Launchers;
using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>The <c>sweep</c> and <c>retrain</c> verbs' options as given on the command line; <see langword="null"/> where not given.</summary>
internal sealed record SweepArguments
{
    public string? Config { get; init; }

    public string? Store { get; init; }

    public string? SweepName { get; init; }

    public bool Resume { get; init; }

    /// <summary>Gets the earlier sweeps (names or lock files) whose trials seed the sampler.</summary>
    public IReadOnlyList<string> WarmStart { get; init; } = [];

    public int? MaxTrials { get; init; }

    public int? Agents { get; init; }

    /// <summary>Gets the launcher that places the agents (<c>--launcher</c>): local, slurm or kubernetes.</summary>
    public string? Launcher { get; init; }

    public int? ThreadsPerTrial { get; init; }

    public long? Seed { get; init; }

    public string? Sampler { get; init; }

    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how long a trial is expected to take, for the in-flight rule; <see langword="null"/> when unknown (no look-ahead).</summary>
    public TimeSpan? ExpectedTrialDuration { get; init; }

    public int? MaxRetries { get; init; }

    public int? MaxConcurrentTrials { get; init; }

    public string? Artifacts { get; init; }

    public bool NoPublish { get; init; }

    public string? AzureContainer { get; init; }

    public string? AzurePrefix { get; init; }

    /// <summary>Gets the GPUs to run agents on: <c>all</c>, <c>none</c> or indexes such as <c>0,2</c> (<c>--gpus</c>); <see langword="null"/> when not given.</summary>
    public string? Gpus { get; init; }

    /// <summary>Gets the agents to run on each GPU (<c>--trials-per-gpu</c>); <see langword="null"/> when not given.</summary>
    public int? TrialsPerGpu { get; init; }

    /// <summary>Gets whether limits that protect the machine may be exceeded: more local agents than <see cref="SweepSettings.MaxLocalAgents"/> (<c>--force</c>).</summary>
    public bool Force { get; init; }
}

/// <summary>
/// Represents what a sweep runs with: each setting from the command line, else the sweep file, else the embedded
/// default, so that a committed <c>sweep.yaml</c> holds a team's settings and one run can still change one of them.
/// </summary>
/// <remarks>
/// The budget's defaults and rules are <see cref="SweepOptions"/>'s own: both sources are mapped onto one
/// <see cref="SweepOptions"/>, whose <see cref="SweepOptions.Validate"/> speaks for them, each problem naming the
/// option (<c>--max-trials</c>) or the file's key and location (<c>sweep.yaml:3:15: 'budget.max-trials'</c>).
/// </remarks>
internal sealed record SweepSettings
{
    /// <summary>The variable that holds the Azure Storage connection string or SAS URL unless the sweep file names another.</summary>
    public const string DefaultAzureCredentialVariable = "AZURE_STORAGE_CONNECTION_STRING"; // AzureBlobPublishOptions.DefaultCredentialVariable; the Azure package is opt-in, so not referenced (a test keeps the two equal).

    /// <summary>
    /// Gets the time from a trial's end to its agent's next trial when nothing is queued ahead: the agent's longest
    /// idle back-off (20 ms), the controller's slowest poll of the queue (10 ms) and one suggestion (about 2 to 10 ms
    /// for the GP sampler, samplers benchmark). <see cref="InFlightTrials.Recommend"/> adds a look-ahead only for
    /// trials shorter than ten of these.
    /// </summary>
    public static TimeSpan AgentHandOff { get; } = TimeSpan.FromMilliseconds(40);

    /// <summary>
    /// Retries of a failed trial when neither the command line nor the file sets them. Unlike in process, a host's
    /// trial also fails when its agent process dies (out of memory, killed), which a retry on another agent survives.
    /// </summary>
    public const int DefaultMaxRetries = 2;

    /// <summary>The most agents one GPU may run (<c>--trials-per-gpu</c>, <c>agents.gpu.trials-per-device</c>).</summary>
    public const int MaxTrialsPerGpu = 16;

    /// <summary>Local agents per logical processor beyond which a sweep is refused unless forced.</summary>
    public const int AgentsPerProcessor = 4;

    public required string Store { get; init; }

    public required string SweepName { get; init; }

    public required int MaxTrials { get; init; }

    /// <summary>Gets the CPU agents to start on this machine.</summary>
    public required int Agents { get; init; }

    /// <summary>Gets the launcher that places the agents: one of <see cref="AgentLaunchers.Names"/>.</summary>
    public string Launcher { get; init; } = AgentLaunchers.Local;

    /// <summary>Gets the sweep file's <c>agents.slurm</c> and <c>agents.kubernetes</c> settings.</summary>
    public LauncherSettings LauncherSettings { get; init; } = new();

    /// <summary>Gets what agent i gets beyond the common arguments: extra arguments and GPUs (the GPUs per agent of the launcher's section).</summary>
    public Func<int, AgentPlacement> AgentPlacement { get; init; } = _ => Launchers.AgentPlacement.None;

    /// <summary>Gets what was asked for GPU agents (<c>all</c>, or indexes such as <c>0,2</c>); <see langword="null"/> for none. Recorded for a resume.</summary>
    public GpuRequest? Gpus { get; init; }

    /// <summary>Gets the device of each GPU agent to start (<c>cuda:0</c>, repeated per trial it runs at once); empty when none runs.</summary>
    public IReadOnlyList<string> GpuAgents { get; init; } = [];

    /// <summary>Gets the line that says which GPU agents run, or that none was found; <see langword="null"/> when none was asked for.</summary>
    public string? GpuNote { get; init; }

    /// <summary>Gets every local agent: the CPU agents, then the GPU agents.</summary>
    public int LocalAgents => Agents + GpuAgents.Count;

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

    /// <summary>Gets the earlier sweeps (names or lock files) whose trials seed the sampler: the command line's, else the sweep file's.</summary>
    public IReadOnlyList<string> WarmStart { get; init; } = [];

    /// <summary>Gets the sweep's options from the command line and the file, validated (every setting but the goal, and the seed of a resumed sweep).</summary>
    public required SweepOptions Options { get; init; }

    /// <summary>
    /// Gets the most local agents a sweep starts without <c>--force</c>: <see cref="AgentsPerProcessor"/> per logical
    /// processor. Each agent is a process holding its own prepared data and running at least one thread; beyond that
    /// many they only take turns on the processors while each still holds its memory, so the number is a typo
    /// (<c>--agents 400</c> for 40) far more often than a plan.
    /// </summary>
    public static int MaxLocalAgents => AgentsPerProcessor * Environment.ProcessorCount;

    /// <summary>Combines the command line with the sweep file it names, if any, and checks every setting.</summary>
    /// <param name="arguments">The command line's options.</param>
    /// <param name="experimentName">The experiment's name: the default sweep name and Azure prefix.</param>
    /// <param name="samplers">The sampler names the host accepts.</param>
    /// <param name="home">The sweep home, where the default store and artifacts live.</param>
    /// <param name="recordedFile">The sweep file a resumed sweep was created with, used when <c>--config</c> is not given.</param>
    /// <param name="findGpus">Lists this machine's GPUs (Tune.Pipeline.Gpu's discovery); <see langword="null"/> when the experiment does not carry that package, so asking for GPU agents is a mistake.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="UsageException">
    /// The command line or the sweep file has mistakes; the message lists every one, the file's as
    /// <c>file:line:column: message</c>.
    /// </exception>
    public static SweepSettings Resolve(SweepArguments arguments, string experimentName, IEnumerable<string> samplers, SweepHome home, SweepFile? recordedFile = null, Func<IReadOnlyList<GpuDeviceInfo>>? findGpus = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var problems = new List<string>();

        // What the file sets despite its mistakes still meets the options' rules below, so that one run lists them all.
        var file = arguments.Config is { } path ? SweepFileParser.Load(path, problems) : recordedFile;

        // Where each SweepOptions property was set, so that its rule names the option or the file's key.
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new SweepOptions();
        if (file is not null)
        {
            file.ApplyTo(options);
            foreach (var (member, key) in SweepFile.OptionKeys)
            {
                if (At(key) is { } location)
                {
                    sources[member] = location;
                }
            }
        }

        var (gpus, gpuAgents, gpuNote) = ResolveGpus(arguments, file, findGpus, problems, At);

        // CPU agents as given; when neither source gives them, one, or none beside GPU agents (which then run the trials).
        var agents = arguments.Agents ?? file?.Agents.CpuSlotGroups ?? (gpuAgents.Count > 0 ? 0 : 1);
        var agentsSource = arguments.Agents is null ? At("agents.cpu.slot-groups") ?? "--agents" : "--agents";
        var launcher = arguments.Launcher ?? file?.Agents.Launcher ?? AgentLaunchers.Local;
        var launcherSource = arguments.Launcher is null ? At("agents.launcher") ?? "--launcher" : "--launcher";
        var launcherSettings = file?.Agents.LauncherSettings ?? new LauncherSettings();
        var store = arguments.Store ?? file?.Store ?? home.DefaultStore;
        if (!AgentLaunchers.Names.Contains(launcher, StringComparer.Ordinal))
        {
            problems.Add($"{launcherSource} is {Shown.Value(launcher)}, which is not a launcher; use one of {string.Join(", ", AgentLaunchers.Names)}.");
        }
        else if (AgentLaunchers.IsRemote(launcher))
        {
            problems.AddRange(LauncherProblems(launcher, launcherSource, store, launcherSettings));

            // GPU agents are found and numbered on this machine; a remote engine numbers each agent's own GPUs from 0.
            if (gpuAgents.Count > 0)
            {
                problems.Add($"--gpus (or agents.gpu) starts GPU agents on this machine, and {launcherSource} is {launcher}, which starts agents on other nodes: give each of them GPUs with 'agents.{launcher}.gpus-per-agent' in the sweep file instead.");
            }
        }

        if (agents < 0)
        {
            problems.Add($"{agentsSource} is {agents}; it must be 0 (remote agents only) or more.");
        }
        else if (agents + gpuAgents.Count > MaxLocalAgents && !arguments.Force && !AgentLaunchers.IsRemote(launcher))
        {
            problems.Add($"{agentsSource} is {agents}{(gpuAgents.Count > 0 ? $" with {gpuAgents.Count} GPU agents" : string.Empty)}, more local agents than this machine can run: at most {MaxLocalAgents} ({AgentsPerProcessor} per logical processor, {Environment.ProcessorCount} here). Use fewer, or pass --force.");
        }

        var localAgents = Math.Max(0, agents) + gpuAgents.Count;

        // The file's values are already in options; the host's own defaults apply where neither source sets one.
        Set(nameof(SweepOptions.MaxTrials), "--max-trials", arguments.MaxTrials, null, v => options.MaxTrials = v);
        Set(nameof(SweepOptions.MaxRetries), "--max-retries", arguments.MaxRetries, file?.Budget.MaxRetries ?? DefaultMaxRetries, v => options.MaxRetries = v);
        Set(nameof(SweepOptions.MaxConcurrentTrials), "--max-concurrent-trials", arguments.MaxConcurrentTrials,
            file?.Budget.MaxConcurrentTrials ?? Math.Min(InFlightTrials.Recommend(Math.Clamp(localAgents, 1, SweepOptions.MaxConcurrentTrialsLimit), arguments.ExpectedTrialDuration, AgentHandOff), SweepOptions.MaxConcurrentTrialsLimit),
            v => options.MaxConcurrentTrials = v);
        Set(nameof(SweepOptions.ThreadsPerTrial), "--threads-per-trial", arguments.ThreadsPerTrial,
            file?.Agents.ThreadsPerTrial ?? RemoteThreadsPerTrial(launcher, launcherSettings) ?? SweepOptions.DefaultThreadsPerTrial(agents), v => options.ThreadsPerTrial = v);
        if (arguments.Seed is { } seed)
        {
            options.Seed = seed;
        }

        foreach (var problem in options.Validate())
        {
            problems.Add(Locate(problem, sources));
        }

        if (arguments.SweepName is { } name && SweepNames.Problem(name) is { } nameProblem)
        {
            problems.Add(nameProblem);
        }

        if (file?.EarlyStopping is { } policy)
        {
            var policyAt = At("early-stopping");
            problems.AddRange(policy.Validate().Select(p => $"{policyAt}: {p}"));
        }

        var sampler = arguments.Sampler ?? file?.Sampler ?? SamplerCatalog.DefaultName;
        if (!samplers.Contains(sampler, StringComparer.OrdinalIgnoreCase))
        {
            var suggestion = NameSuggester.Suggest(sampler, samplers);
            problems.Add($"--sampler is {Shown.Value(sampler)}, which is not a sampler.{(suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?")} Use one of: {string.Join(", ", samplers)}.");
        }

        if (problems.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine, problems));
        }

        var container = arguments.AzureContainer ?? file?.Publish.AzureContainer;
        return new SweepSettings
        {
            File = file,
            Options = options,
            Store = store,
            SweepName = arguments.SweepName ?? experimentName,
            MaxTrials = options.MaxTrials,
            Agents = agents,
            Launcher = launcher,
            LauncherSettings = launcherSettings,
            AgentPlacement = RemoteGpus(launcher, launcherSettings) is { } remoteGpus
                ? _ => new AgentPlacement([], remoteGpus)
                : i => i >= agents ? new AgentPlacement(["--device", gpuAgents[i - agents]], 1) : Launchers.AgentPlacement.None,
            Gpus = gpus,
            GpuAgents = gpuAgents,
            GpuNote = gpuNote,
            ThreadsPerTrial = options.ThreadsPerTrial!.Value,
            MaxConcurrentTrials = options.MaxConcurrentTrials,
            MaxRetries = options.MaxRetries,
            Seed = arguments.Seed ?? file?.Seed,
            Sampler = sampler,
            EarlyStopping = file?.EarlyStopping,

            // The command line's sources replace the file's, as any option given there wins over the file.
            WarmStart = arguments.WarmStart.Count > 0 ? arguments.WarmStart : file?.WarmStart ?? [],
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

        // Where the file set a key, as messages name it: "sweep.yaml:3:15: 'budget.max-trials'".
        string? At(string key) => file?.Locations.TryGetValue(key, out var location) == true ? $"{location}: '{key}'" : null;

        // A command-line value wins and names its option in messages; else the fallback stands, named by the file's key if any.
        void Set(string member, string option, int? given, int? fallback, Action<int> apply)
        {
            if ((given ?? fallback) is { } value)
            {
                apply(value);
            }

            if (given is not null)
            {
                sources[member] = option;
            }
        }
    }

    // Agents on other nodes need a store they all reach, and the Kubernetes Job needs an image to run.
    private static IEnumerable<string> LauncherProblems(string launcher, string source, string store, LauncherSettings settings)
    {
        if (SweepStores.SqliteFile(store) is not null)
        {
            // SQLite's locks are not safe on network file systems (sqlite.org/faq.html#q5), and a pod sees no file of ours at all.
            yield return $"{source} is {launcher}, which starts agents on other nodes; they need a store every node reaches, and a SQLite file is not one (its locking is unsafe on network file systems). Pass --store postgresql://user@host:port/database.";
        }

        if (launcher == AgentLaunchers.Kubernetes && settings.Kubernetes.Image is null)
        {
            yield return $"{source} is kubernetes, which runs the agents in a container image: set 'agents.kubernetes.image' in the sweep file (--config) to the image of the published experiment, such as registry.example.com/faq-matching:1.";
        }
    }

    // Remote agents get their own CPUs: their trials use what the engine gives them, not this machine's cores.
    internal static int? RemoteThreadsPerTrial(string launcher, LauncherSettings settings) => launcher switch
    {
        AgentLaunchers.Slurm => settings.Slurm.CpusPerTask ?? 1,
        AgentLaunchers.Kubernetes => settings.Kubernetes.Cpu is { } cpu && int.TryParse(cpu, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var whole) && whole > 0 ? whole : 1,
        _ => null,
    };

    private static int? RemoteGpus(string launcher, LauncherSettings settings) => launcher switch
    {
        AgentLaunchers.Slurm => settings.Slurm.GpusPerAgent,
        AgentLaunchers.Kubernetes => settings.Kubernetes.GpusPerAgent,
        _ => null,
    };

    // GPU agents: what --gpus or agents.gpu asks for, against the GPUs this machine has. A machine without one runs the
    // CPU agents and says so; asking for a device it lacks is a mistake, as is asking from an experiment that cannot
    // open a device (it does not carry Tune.Pipeline.Gpu).
    private static (GpuRequest? Request, IReadOnlyList<string> Agents, string? Note) ResolveGpus(
        SweepArguments arguments, SweepFile? file, Func<IReadOnlyList<GpuDeviceInfo>>? findGpus, List<string> problems, Func<string, string?> at)
    {
        var source = arguments.Gpus is null ? at("agents.gpu.devices") ?? "--gpus" : "--gpus";
        var perDevice = arguments.TrialsPerGpu ?? file?.Agents.GpuTrialsPerDevice ?? 1;
        if (perDevice is < 1 or > MaxTrialsPerGpu)
        {
            problems.Add($"{(arguments.TrialsPerGpu is null ? at("agents.gpu.trials-per-device") : "--trials-per-gpu")} is {perDevice}; it must be between 1 and {MaxTrialsPerGpu}.");
            return (null, [], null);
        }

        GpuRequest? request;
        if (arguments.Gpus is { } text)
        {
            if (!GpuRequest.TryParse(text, perDevice, out request))
            {
                problems.Add($"--gpus is {Shown.Value(text)}; use all, none, or device indexes such as 0,2.");
                return (null, [], null);
            }
        }
        else
        {
            request = file?.Agents is { HasGpu: true, GpuDevices: var devices } && devices is not { Count: 0 } ? new GpuRequest(devices, perDevice) : null;
        }

        if (request is null)
        {
            return (null, [], null);
        }

        if (findGpus is null)
        {
            problems.Add($"{source} asks for GPU agents, which needs the Tune.Pipeline.Gpu package: {OptionalPackages.HowToAdd("Tune.Pipeline.Gpu")}.");
            return (request, [], null);
        }

        var found = findGpus();
        if (found.Count == 0)
        {
            return (request, [], $"No GPU found (ILGPU lists no CUDA device here): trials run on CPU agents.");
        }

        var wanted = request.Devices ?? [.. found.Select(d => d.Index)];
        if (wanted.FirstOrDefault(i => i >= found.Count, -1) is var missing and >= 0)
        {
            problems.Add($"{source} asks for GPU {missing}, but this machine has {found.Count}: {string.Join(", ", found.Select(d => $"{d.Index} {d.Description}"))}. Use indexes 0..{found.Count - 1}, or all.");
            return (request, [], null);
        }

        var agents = wanted.Distinct().SelectMany(i => Enumerable.Repeat(found[i].Name, perDevice)).ToList();
        return (request, agents, $"GPU agents: {string.Join(", ", wanted.Distinct().Select(i => $"{found[i].Name} {found[i].Description}"))}, {perDevice} trial(s) at a time on each.");
    }

    // "MaxTrials is 0; it must be at least 1." becomes "--max-trials is 0; ..." or "sweep.yaml:3:15: 'budget.max-trials' is 0; ...".
    // The library's ", or null for ..." alternative is dropped there: an option or key left out is how a user says null.
    private static string Locate(ValidationResult problem, Dictionary<string, string> sources)
    {
        var message = problem.ErrorMessage ?? string.Empty;
        var member = problem.MemberNames.FirstOrDefault();
        if (member is null || !sources.TryGetValue(member, out var source) || !message.StartsWith(member + " ", StringComparison.Ordinal))
        {
            return message;
        }

        var rule = message[member.Length..];
        var orNull = rule.IndexOf(", or null", StringComparison.Ordinal);
        return source + (orNull < 0 ? rule : rule[..orNull] + ".");
    }
}

/// <summary>What was asked for GPU agents: some devices (or every one found) and the agents per device.</summary>
/// <param name="Devices">The device indexes; <see langword="null"/> for every device found.</param>
/// <param name="TrialsPerDevice">The agents on each device.</param>
internal sealed record GpuRequest(IReadOnlyList<int>? Devices, int TrialsPerDevice)
{
    /// <summary>Gets the request as <c>--gpus</c> takes it: <c>all</c> or indexes such as <c>0,2</c>.</summary>
    public string Text => Devices is null ? "all" : string.Join(',', Devices.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Reads <c>--gpus</c>: <c>all</c>, <c>none</c> (no request: <paramref name="request"/> is null) or comma-separated indexes.</summary>
    public static bool TryParse(string text, int trialsPerDevice, out GpuRequest? request)
    {
        request = null;
        switch (text.Trim())
        {
            case "all":
                request = new GpuRequest(null, trialsPerDevice);
                return true;
            case "none":
                return true;
        }

        var indexes = new List<int>();
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return false;
            }

            indexes.Add(index);
        }

        request = new GpuRequest(indexes, trialsPerDevice);
        return true;
    }
}

/// <summary>Where the published folder is uploaded: a container and prefix, and the variable holding the secret.</summary>
/// <param name="Container">The container's name; a container SAS URL may name it instead.</param>
/// <param name="Prefix">The blob prefix.</param>
/// <param name="CredentialVariable">The environment variable that holds a connection string or SAS URL.</param>
/// <param name="ServiceUri">The blob service's URL, for DefaultAzureCredential when the variable is not set.</param>
internal sealed record AzureTarget(string? Container, string Prefix, string CredentialVariable, Uri? ServiceUri);
