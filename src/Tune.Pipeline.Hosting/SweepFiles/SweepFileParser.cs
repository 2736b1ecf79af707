using System.Globalization;
using System.Text.RegularExpressions;
using Tune.Pipeline.Hosting.SpaceFiles;
using Tune.Pipeline.Hosting.Yaml;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.Stopping;
using YamlDotNet.RepresentationModel;

namespace Tune.Pipeline.Hosting.SweepFiles;

/// <summary>
/// Reads a sweep file (YAML, or JSON): sampler and seed, early stopping, budget, agents, store, tracking, retrain,
/// publish, and <c>space:</c> overrides in the space-file syntax (parsed by <see cref="SpaceFileParser.ParseParameters"/>).
/// </summary>
/// <remarks>
/// Every mistake is reported, not only the first, as <c>file:line:column: message</c> naming the key and the allowed
/// values. Secrets (connection strings, SAS URLs, passwords in URLs) are refused without being echoed: the file names
/// the environment variable that holds one. The parser checks types (a whole number, a duration); ranges are the
/// options classes' own rules, applied with these locations by <see cref="SweepSettings.Resolve"/>. The file is read
/// within <see cref="BoundedYaml"/>'s limits (size, encoding, one document, depth, alias expansion).
/// </remarks>
internal static partial class SweepFileParser
{
    private const string Kind = "sweep file";

    private static readonly string[] TopKeys = ["sampler", "seed", "early-stopping", "budget", "agents", "store", "tracking", "retrain", "publish", "warm-start", "space"];
    private static readonly string[] BudgetKeys = ["max-trials", "max-concurrent-trials", "max-duration", "trial-timeout", "max-trials-without-improvement", "target-value", "max-retries"];
    private static readonly string[] AgentKeys = ["cpu", "gpu", "launcher", "slurm", "kubernetes"];
    private static readonly string[] SlurmKeys = ["partition", "time", "cpus-per-task", "gpus-per-agent", "sbatch", "command"];
    private static readonly string[] KubernetesKeys = ["namespace", "image", "command", "cpu", "memory", "gpus-per-agent", "backoff-limit", "secret", "service-account"];
    private static readonly string[] CpuKeys = ["slot-groups", "threads-per-trial"];
    private static readonly string[] GpuKeys = ["devices", "trials-per-device"];
    private static readonly string[] TrackingKeys = ["mlflow"];
    private static readonly string[] PublishKeys = ["enabled", "directory", "azure"];
    private static readonly string[] AzureKeys = ["container", "prefix", "credential-variable", "service-uri"];
    private static readonly string[] SecretKeys = ["connection-string", "sas-url", "sas", "account-key", "key"];

    private static readonly Dictionary<string, string[]> PolicyKeys = new(StringComparer.Ordinal)
    {
        ["none"] = [],
        ["bandit"] = ["evaluation-interval", "delay-evaluation", "slack-factor", "slack-amount"],
        ["median"] = ["evaluation-interval", "delay-evaluation"],
        ["truncation"] = ["evaluation-interval", "delay-evaluation", "truncation-percentage", "exclude-finished"],
        ["successive-halving"] = ["min-resource", "reduction-factor", "max-resource"],
    };

    /// <summary>Reads and parses a sweep file.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The settings it holds.</returns>
    /// <exception cref="SweepFileException">The file is missing or has mistakes.</exception>
    public static SweepFile Load(string path)
    {
        var problems = new List<string>();
        var file = Load(path, problems);
        return problems.Count > 0 ? throw new SweepFileException(problems) : file!;
    }

    /// <summary>Reads and parses a sweep file, keeping every setting that could be read despite the mistakes.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="problems">Receives every mistake, located.</param>
    /// <returns>The settings that could be read; <see langword="null"/> when the file cannot be read or parsed at all.</returns>
    public static SweepFile? Load(string path, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!File.Exists(path))
        {
            problems.Add($"{path}: the sweep file does not exist. Check the path given to --config.");
            return null;
        }

        string text;
        try
        {
            text = BoundedYaml.ReadText(path, Kind);
        }
        catch (YamlInputException exception)
        {
            problems.Add(exception.Message);
            return null;
        }

        return Parse(text, path, problems);
    }

    /// <summary>Parses the text of a sweep file.</summary>
    /// <param name="text">The YAML or JSON text.</param>
    /// <param name="fileName">The name used in messages.</param>
    /// <returns>The settings it holds.</returns>
    /// <exception cref="SweepFileException">The text has mistakes; every one is listed.</exception>
    public static SweepFile Parse(string text, string fileName)
    {
        var problems = new List<string>();
        var file = Parse(text, fileName, problems);
        return problems.Count > 0 ? throw new SweepFileException(problems) : file!;
    }

    /// <summary>Parses the text of a sweep file, keeping every setting that could be read despite the mistakes.</summary>
    /// <param name="text">The YAML or JSON text.</param>
    /// <param name="fileName">The name used in messages.</param>
    /// <param name="problems">Receives every mistake, located.</param>
    /// <returns>The settings that could be read; <see langword="null"/> when the text is not YAML or breaks a limit.</returns>
    public static SweepFile? Parse(string text, string fileName, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        YamlNode? document;
        try
        {
            document = BoundedYaml.Parse(text, fileName, Kind);
        }
        catch (YamlInputException exception)
        {
            problems.Add(exception.Message);
            return null;
        }

        if (document is null)
        {
            return new SweepFile { FileName = fileName, Text = text };
        }

        var reader = new Reader(fileName, problems);
        var root = reader.Mapping(document, null, TopKeys);
        var file = new SweepFile
        {
            FileName = fileName,
            Text = text,
            Sampler = root.TryGetValue("sampler", out var sampler) ? reader.OneOf(sampler, "sampler", SamplerCatalog.Names) : null,
            Seed = root.TryGetValue("seed", out var seed) ? reader.Long(seed, "seed", long.MinValue) : null,
            EarlyStopping = root.TryGetValue("early-stopping", out var stopping) ? ReadPolicy(reader, stopping) : null,
            Budget = root.TryGetValue("budget", out var budget) ? ReadBudget(reader, budget) : new SweepFileBudget(),
            Agents = root.TryGetValue("agents", out var agents) ? ReadAgents(reader, agents) : new SweepFileAgents(),
            Store = root.TryGetValue("store", out var store) ? ReadStore(reader, store) : null,
            TrackingUri = root.TryGetValue("tracking", out var tracking) && reader.Mapping(tracking, "tracking", TrackingKeys).TryGetValue("mlflow", out var mlflow)
                ? reader.Url(mlflow, "tracking.mlflow")
                : null,
            Retrain = root.TryGetValue("retrain", out var retrain) ? reader.Bool(retrain, "retrain") : null,
            Publish = root.TryGetValue("publish", out var publish) ? ReadPublish(reader, publish) : new SweepFilePublish(),
            WarmStart = root.TryGetValue("warm-start", out var warmStart) ? ReadWarmStart(reader, warmStart) : [],
            Locations = reader.Locations,
        };

        if (root.TryGetValue("space", out var space))
        {
            var locations = new Dictionary<string, string>(StringComparer.Ordinal);
            if (space is YamlMappingNode mapping)
            {
                foreach (var (key, _) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        locations[name] = $"{fileName}:{key.Start.Line}:{key.Start.Column}";
                    }
                }
            }

            file = file with { SpaceOverrides = SpaceFileParser.ParseParameters(space, fileName, reader.Problems), OverrideLocations = locations };
        }

        return file;
    }

    private static EarlyStoppingPolicyOptions? ReadPolicy(Reader reader, YamlNode node)
    {
        if (node is YamlScalarNode)
        {
            // "early-stopping: none" (or a bare policy name with its defaults).
            return reader.OneOf(node, "early-stopping", PolicyKeys.Keys) is { } bare ? Create(reader, bare, new Dictionary<string, YamlNode>(StringComparer.Ordinal)) : null;
        }

        if (node is not YamlMappingNode mapping)
        {
            reader.Add(node, $"'early-stopping' must be a policy name or a mapping with 'policy'; use one of {string.Join(", ", PolicyKeys.Keys)}.");
            return null;
        }

        var policyNode = mapping.Children.FirstOrDefault(p => p.Key is YamlScalarNode { Value: "policy" }).Value;
        if (policyNode is null)
        {
            reader.Add(node, $"'early-stopping' has no 'policy'; use one of {string.Join(", ", PolicyKeys.Keys)}.");
            return null;
        }

        var policy = reader.OneOf(policyNode, "early-stopping.policy", PolicyKeys.Keys);
        if (policy is null)
        {
            return null;
        }

        var values = reader.Mapping(node, "early-stopping", ["policy", .. PolicyKeys[policy]], $" for policy {policy}");
        return Create(reader, policy, values);
    }

    private static EarlyStoppingPolicyOptions Create(Reader reader, string policy, Dictionary<string, YamlNode> values)
    {
        // Type checks only: the ranges are the policy options' own rules, applied by SweepSettings.Resolve.
        long? Long(string key) => values.TryGetValue(key, out var n) ? reader.Long(n, "early-stopping." + key, long.MinValue) : null;
        int? Int(string key) => values.TryGetValue(key, out var n) ? reader.Int(n, "early-stopping." + key) : null;
        double? Double(string key) => values.TryGetValue(key, out var n) ? reader.Double(n, "early-stopping." + key) : null;

        switch (policy)
        {
            case "bandit":
                var bandit = new BanditPolicyOptions { SlackFactor = Double("slack-factor"), SlackAmount = Double("slack-amount") };
                SetInterval(bandit);
                return bandit;
            case "median":
                var median = new MedianStoppingPolicyOptions();
                SetInterval(median);
                return median;
            case "truncation":
                var truncation = new TruncationSelectionPolicyOptions();
                SetInterval(truncation);
                truncation.TruncationPercentage = Int("truncation-percentage") ?? truncation.TruncationPercentage;
                truncation.ExcludeFinished = values.TryGetValue("exclude-finished", out var exclude) ? reader.Bool(exclude, "early-stopping.exclude-finished") ?? false : false;
                return truncation;
            case "successive-halving":
                var halving = new SuccessiveHalvingPolicyOptions { MaxResource = Long("max-resource") };
                halving.MinResource = Long("min-resource") ?? halving.MinResource;
                halving.ReductionFactor = Int("reduction-factor") ?? halving.ReductionFactor;
                return halving;
            default:
                return new NoEarlyStoppingPolicyOptions();
        }

        void SetInterval(IntervalEarlyStoppingPolicyOptions options)
        {
            options.EvaluationInterval = Long("evaluation-interval") ?? options.EvaluationInterval;
            options.DelayEvaluation = Long("delay-evaluation") ?? options.DelayEvaluation;
        }
    }

    private static SweepFileBudget ReadBudget(Reader reader, YamlNode node)
    {
        var values = reader.Mapping(node, "budget", BudgetKeys);
        int? Int(string key) => values.TryGetValue(key, out var n) ? reader.Int(n, "budget." + key) : null;
        TimeSpan? Duration(string key) => values.TryGetValue(key, out var n) ? reader.Duration(n, "budget." + key) : null;
        return new SweepFileBudget
        {
            MaxTrials = Int("max-trials"),
            MaxConcurrentTrials = Int("max-concurrent-trials"),
            MaxDuration = Duration("max-duration"),
            TrialTimeout = Duration("trial-timeout"),
            MaxTrialsWithoutImprovement = Int("max-trials-without-improvement"),
            TargetValue = values.TryGetValue("target-value", out var target) ? reader.Double(target, "budget.target-value") : null,
            MaxRetries = Int("max-retries"),
        };
    }

    private static SweepFileAgents ReadAgents(Reader reader, YamlNode node)
    {
        var values = reader.Mapping(node, "agents", AgentKeys);
        int? slotGroups = null;
        int? threads = null;
        IReadOnlyList<int>? devices = null;
        var hasGpu = false;
        int? trialsPerDevice = null;
        if (values.TryGetValue("cpu", out var cpuNode))
        {
            var cpu = reader.Mapping(cpuNode, "agents.cpu", CpuKeys);
            if (cpu.TryGetValue("slot-groups", out var groups) && groups is not YamlScalarNode { Value: "auto" })
            {
                slotGroups = (int?)reader.Long(groups, "agents.cpu.slot-groups", 1, int.MaxValue, " or auto");
            }

            threads = cpu.TryGetValue("threads-per-trial", out var t) ? reader.Int(t, "agents.cpu.threads-per-trial") : null;
        }

        var gpu = values.TryGetValue("gpu", out var gpuNode) ? reader.Mapping(gpuNode, "agents.gpu", GpuKeys) : null;
        if (gpu?.TryGetValue("trials-per-device", out var perDevice) == true)
        {
            trialsPerDevice = (int?)reader.Long(perDevice, "agents.gpu.trials-per-device", 1, SweepSettings.MaxTrialsPerGpu);
        }

        if (gpu?.TryGetValue("devices", out var list) == true)
        {
            hasGpu = true;
            devices = list switch
            {
                YamlScalarNode { Value: "all" } => null,
                YamlScalarNode { Value: "none" } => [],
                YamlSequenceNode sequence => [.. sequence.Children.Select(d => (int)(reader.Long(d, "agents.gpu.devices[]", 0, int.MaxValue) ?? 0))],
                _ => reader.AddAndReturn<IReadOnlyList<int>?>(list, "'agents.gpu.devices' must be all, none, or a list of device indexes such as [0, 1].", null),
            };
        }

        return new SweepFileAgents
        {
            CpuSlotGroups = slotGroups,
            ThreadsPerTrial = threads,
            GpuDevices = devices,
            HasGpu = hasGpu,
            GpuTrialsPerDevice = trialsPerDevice,
            Launcher = values.TryGetValue("launcher", out var launcher) ? reader.OneOf(launcher, "agents.launcher", Launchers.AgentLaunchers.Names) : null,
            LauncherSettings = new Launchers.LauncherSettings
            {
                Slurm = values.TryGetValue("slurm", out var slurm) ? ReadSlurm(reader, slurm) : new Launchers.SlurmSettings(),
                Kubernetes = values.TryGetValue("kubernetes", out var kubernetes) ? ReadKubernetes(reader, kubernetes) : new Launchers.KubernetesSettings(),
            },
        };
    }

    private static Launchers.SlurmSettings ReadSlurm(Reader reader, YamlNode node)
    {
        var values = reader.Mapping(node, "agents.slurm", SlurmKeys);
        var sbatch = values.TryGetValue("sbatch", out var lines) ? reader.Strings(lines, "agents.slurm.sbatch") : [];
        foreach (var line in sbatch.Where(l => !l.StartsWith('-') || l.Contains('\n', StringComparison.Ordinal)))
        {
            reader.Add(lines!, $"'agents.slurm.sbatch' holds {Shown.Value(line)}; each entry is one sbatch option for an #SBATCH line, such as --mem=8G or --account=ml.");
        }

        return new Launchers.SlurmSettings
        {
            Partition = values.TryGetValue("partition", out var partition) ? reader.String(partition, "agents.slurm.partition") : null,
            Time = values.TryGetValue("time", out var time) ? reader.String(time, "agents.slurm.time") : null,
            CpusPerTask = values.TryGetValue("cpus-per-task", out var cpus) ? (int?)reader.Long(cpus, "agents.slurm.cpus-per-task", 1, 4096) : null,
            GpusPerAgent = values.TryGetValue("gpus-per-agent", out var gpus) ? (int?)reader.Long(gpus, "agents.slurm.gpus-per-agent", 0, 64) : null,
            Sbatch = sbatch,
            Command = values.TryGetValue("command", out var command) ? reader.String(command, "agents.slurm.command") : null,
        };
    }

    private static Launchers.KubernetesSettings ReadKubernetes(Reader reader, YamlNode node)
    {
        var values = reader.Mapping(node, "agents.kubernetes", KubernetesKeys);
        return new Launchers.KubernetesSettings
        {
            Namespace = values.TryGetValue("namespace", out var space) ? reader.DnsLabel(space, "agents.kubernetes.namespace") : null,
            Image = values.TryGetValue("image", out var image) ? reader.String(image, "agents.kubernetes.image") : null,
            Command = values.TryGetValue("command", out var command) ? reader.Strings(command, "agents.kubernetes.command") : [],
            Cpu = values.TryGetValue("cpu", out var cpu) ? reader.Quantity(cpu, "agents.kubernetes.cpu", "2 or 500m") : null,
            Memory = values.TryGetValue("memory", out var memory) ? reader.Quantity(memory, "agents.kubernetes.memory", "4Gi or 512Mi") : null,
            GpusPerAgent = values.TryGetValue("gpus-per-agent", out var gpus) ? (int?)reader.Long(gpus, "agents.kubernetes.gpus-per-agent", 0, 64) : null,
            BackoffLimit = values.TryGetValue("backoff-limit", out var backoff) ? (int?)reader.Long(backoff, "agents.kubernetes.backoff-limit", 0, 1000) : null,
            Secret = values.TryGetValue("secret", out var secret) ? reader.DnsLabel(secret, "agents.kubernetes.secret", subdomain: true) : null,
            ServiceAccount = values.TryGetValue("service-account", out var account) ? reader.DnsLabel(account, "agents.kubernetes.service-account", subdomain: true) : null,
        };
    }

    private static string? ReadStore(Reader reader, YamlNode node)
    {
        var text = reader.String(node, "store");
        if (text is not null && text.StartsWith("postgresql://", StringComparison.Ordinal) && HasPassword(text))
        {
            reader.Add(node, "'store' holds a password or other secret (not shown), which a committed sweep file must not; write postgresql://user@host/database and give the password in PGPASSWORD or ~/.pgpass.");
            return null;
        }

        if (text is null || text.StartsWith("sqlite:", StringComparison.Ordinal) || text.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            return text;
        }

        reader.Add(node, $"'store' is {Shown.Value(text)}; use sqlite:<path> (such as sqlite:.tune/tune.db) or a postgresql://host/database URL.");
        return null;
    }

    private static SweepFilePublish ReadPublish(Reader reader, YamlNode node)
    {
        var values = reader.Mapping(node, "publish", PublishKeys);
        var publish = new SweepFilePublish
        {
            Enabled = values.TryGetValue("enabled", out var enabled) ? reader.Bool(enabled, "publish.enabled") : null,
            Directory = values.TryGetValue("directory", out var directory) ? reader.String(directory, "publish.directory") : null,
        };
        if (!values.TryGetValue("azure", out var azureNode))
        {
            return publish;
        }

        if (azureNode is YamlMappingNode azureMapping)
        {
            foreach (var (key, _) in azureMapping.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && SecretKeys.Contains(name))
                {
                    reader.Add(key, $"'publish.azure.{name}' would put a secret in the sweep file; put it in an environment variable and name the variable in 'publish.azure.credential-variable' (or use service-uri with DefaultAzureCredential).");
                }
            }
        }

        var azure = reader.Mapping(azureNode, "publish.azure", AzureKeys, ignored: SecretKeys);
        var variable = azure.TryGetValue("credential-variable", out var v) ? reader.String(v, "publish.azure.credential-variable") : null;
        if (variable is not null && !EnvironmentVariableName().IsMatch(variable))
        {
            // What is not a variable's name is most likely the secret itself, pasted in: never echo it.
            reader.Add(v!, "'publish.azure.credential-variable' is not an environment variable's name (its value is not shown, as it may be the secret itself); name the variable that holds the connection string or SAS URL, such as AZURE_STORAGE_CONNECTION_STRING, not its value.");
            variable = null;
        }

        return publish with
        {
            AzureContainer = azure.TryGetValue("container", out var c) ? reader.String(c, "publish.azure.container") : null,
            AzurePrefix = azure.TryGetValue("prefix", out var p) ? reader.String(p, "publish.azure.prefix") : null,
            AzureCredentialVariable = variable,
            AzureServiceUri = azure.TryGetValue("service-uri", out var s) ? reader.Url(s, "publish.azure.service-uri") : null,
        };
    }

    // A user name and options such as sslmode=require are fine in a committed file; a password is not.
    private static bool HasPassword(string url) =>
        (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        || url.Contains("password", StringComparison.OrdinalIgnoreCase)
        || !Uri.IsWellFormedUriString(url, UriKind.Absolute);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentVariableName();

    /// <summary>Reads typed values from nodes, collecting located problems.</summary>
    // One source or a list of them: sweep names or lock-file paths, at most five (WarmStartSources.MaxSources).
    private static List<string> ReadWarmStart(Reader reader, YamlNode node)
    {
        var nodes = node is YamlSequenceNode sequence ? sequence.Children.ToList() : [node];
        if (nodes.Count > WarmStartSources.MaxSources)
        {
            reader.Add(node, $"'warm-start' names {nodes.Count} sweeps; a sweep warm-starts from at most {WarmStartSources.MaxSources}.");
            return [];
        }

        return [.. nodes.Select(n => reader.String(n, "warm-start")).OfType<string>()];
    }

    private sealed class Reader(string fileName, List<string> problems)
    {
        public List<string> Problems => problems;

        /// <summary>Gets where each key's value was written: dotted key to <c>file:line:column</c>.</summary>
        public Dictionary<string, string> Locations { get; } = new(StringComparer.Ordinal);

        public void Add(YamlNode node, string message) => Problems.Add($"{fileName}:{node.Start.Line}:{node.Start.Column}: {message}");

        public T AddAndReturn<T>(YamlNode node, string message, T value)
        {
            Add(node, message);
            return value;
        }

        public Dictionary<string, YamlNode> Mapping(YamlNode node, string? section, string[] allowed, string context = "", string[]? ignored = null)
        {
            var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            var where = section is null ? "the sweep file" : $"'{section}'";
            if (node is not YamlMappingNode mapping)
            {
                Add(node, $"{where} must be a mapping with keys among {string.Join(", ", allowed)}.");
                return values;
            }

            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (allowed.Contains(key))
                {
                    values[key] = valueNode;
                    Locations[section is null ? key : $"{section}.{key}"] = $"{fileName}:{valueNode.Start.Line}:{valueNode.Start.Column}";
                }
                else if (ignored?.Contains(key) != true)
                {
                    var suggestion = NameSuggester.Suggest(key, allowed);
                    var full = section is null ? key : $"{section}.{key}";
                    Add(keyNode, $"unknown key {Shown.Value(full)}{(suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")}; the keys allowed in {where}{context} are {(allowed.Length == 0 ? "none" : string.Join(", ", allowed))}.");
                }
            }

            return values;
        }

        public string? String(YamlNode node, string key)
        {
            if (node is YamlScalarNode { Value: { Length: > 0 } text })
            {
                return text;
            }

            Add(node, $"'{key}' must be a non-empty string.");
            return null;
        }

        public string? OneOf(YamlNode node, string key, IEnumerable<string> allowed)
        {
            var options = allowed.ToList();
            var text = (node as YamlScalarNode)?.Value ?? string.Empty;
            if (options.Contains(text))
            {
                return text;
            }

            var suggestion = NameSuggester.Suggest(text, options);
            Add(node, $"'{key}' is {Shown.Value(text)}{(suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")}; use one of {string.Join(", ", options)}.");
            return null;
        }

        public long? Long(YamlNode node, string key, long min, long max = long.MaxValue, string alternatives = "")
        {
            var text = (node as YamlScalarNode)?.Value;
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            var range = max == long.MaxValue ? (min == long.MinValue ? "a whole number" : $"a whole number of at least {min}") : $"a whole number from {min} to {max}";
            Add(node, $"'{key}' is {Shown.Value(text)}; use {range}{alternatives}.");
            return null;
        }

        // A type check only: the range is the options class's rule, reported with this location by SweepSettings.
        public int? Int(YamlNode node, string key)
        {
            var text = (node as YamlScalarNode)?.Value;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Add(node, $"'{key}' is {Shown.Value(text)}; use a whole number from {int.MinValue} to {int.MaxValue}, such as 50.");
            return null;
        }

        public double? Double(YamlNode node, string key)
        {
            var text = (node as YamlScalarNode)?.Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                return value;
            }

            Add(node, $"'{key}' is {Shown.Value(text)}; use a finite number such as 0.1.");
            return null;
        }

        public bool? Bool(YamlNode node, string key)
        {
            var text = (node as YamlScalarNode)?.Value;
            if (text is "true" or "false")
            {
                return text == "true";
            }

            Add(node, $"'{key}' is {Shown.Value(text)}; use true or false.");
            return null;
        }

        public TimeSpan? Duration(YamlNode node, string key)
        {
            var text = (node as YamlScalarNode)?.Value;
            if (Durations.TryParse(text, out var duration))
            {
                return duration;
            }

            Add(node, $"'{key}' is {Shown.Value(text)}; use {Durations.Expected}, of at most {Durations.Limit.TotalDays:0} days.");
            return null;
        }

        public IReadOnlyList<string> Strings(YamlNode node, string key)
        {
            if (node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }))
            {
                return [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value!)];
            }

            Add(node, $"'{key}' must be a list of non-empty strings, such as [--mem=8G, --account=ml].");
            return [];
        }

        // Kubernetes names (RFC 1123): a label for a namespace, a subdomain for most objects' names.
        public string? DnsLabel(YamlNode node, string key, bool subdomain = false)
        {
            var text = (node as YamlScalarNode)?.Value;
            var pattern = subdomain ? "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" : "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
            if (text is not null && text.Length <= (subdomain ? 253 : 63) && Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                return text;
            }

            Add(node, $"'{key}' is {Shown.Value(text)}; use a Kubernetes name: lower-case letters, digits and '-', starting and ending with a letter or digit{(subdomain ? " ('.' between parts)" : string.Empty)}.");
            return null;
        }

        // A Kubernetes resource quantity (the API's own syntax): a number with an optional binary, decimal or milli suffix.
        public string? Quantity(YamlNode node, string key, string example)
        {
            var text = (node as YamlScalarNode)?.Value;
            if (text is not null && Regex.IsMatch(text, "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$", RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                return text;
            }

            Add(node, $"'{key}' is {Shown.Value(text)}; use a Kubernetes quantity such as {example}.");
            return null;
        }

        public Uri? Url(YamlNode node, string key)
        {
            var text = (node as YamlScalarNode)?.Value;
            if (text is not null && Shown.MayHoldSecret(text))
            {
                // A user, password or SAS token in a URL is a secret in a committed file.
                Add(node, $"'{key}' holds a user, password, token or query (not shown), which a committed sweep file must not; give the URL alone and the credential in its environment variable.");
                return null;
            }

            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            Add(node, $"'{key}' is {Shown.Value(text)}; use an http:// or https:// URL.");
            return null;
        }
    }
}
