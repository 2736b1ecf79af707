using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Stores.Sqlite;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>Which value a sweep runs with: the command line's, else the sweep file's, else the embedded default.</summary>
public sealed class SweepSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-settings-").FullName;

    private SweepHome Home => SweepHome.ForDirectory(_directory, _ => null);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Resolve_NoFileNoOptions_UsesTheEmbeddedDefaults()
    {
        var settings = SweepSettings.Resolve(new SweepArguments(), "quadratic", SamplerCatalog.Names, Home);

        Assert.Equal(Path.Combine(_directory, SqliteSweepStore.DefaultPath), settings.Store);
        Assert.Equal("quadratic", settings.SweepName);
        Assert.Equal(100, settings.MaxTrials);
        Assert.Equal(1, settings.Agents);
        Assert.Equal(1, settings.MaxConcurrentTrials);
        Assert.Equal(2, settings.MaxRetries);
        Assert.Null(settings.Seed);
        Assert.Equal(SamplerCatalog.DefaultName, settings.Sampler);
        Assert.Equal(Path.Combine(_directory, "artifacts"), settings.Artifacts);
        Assert.True(settings.Publish);
        Assert.Null(settings.Azure);
    }

    [Fact]
    public void Resolve_FileOnly_TakesEverySettingFromTheFile()
    {
        var settings = SweepSettings.Resolve(new SweepArguments { Config = Write("""
            sampler: tpe
            seed: 8
            early-stopping: {policy: median, delay-evaluation: 3}
            budget: {max-trials: 40, max-concurrent-trials: 6, max-retries: 0}
            agents:
              cpu: {slot-groups: 3, threads-per-trial: 2}
            store: sqlite:runs/tune.db
            publish:
              directory: out
              azure: {container: models, prefix: q/v2, credential-variable: MY_AZURE}
            """) }, "quadratic", SamplerCatalog.Names, Home);

        Assert.Equal("runs/tune.db", SweepStores.SqliteFile(settings.Store));
        Assert.Equal(40, settings.MaxTrials);
        Assert.Equal(3, settings.Agents);
        Assert.Equal(2, settings.ThreadsPerTrial);
        Assert.Equal(6, settings.MaxConcurrentTrials);
        Assert.Equal(0, settings.MaxRetries);
        Assert.Equal(8, settings.Seed);
        Assert.Equal("tpe", settings.Sampler);
        Assert.Equal(3, Assert.IsType<MedianStoppingPolicyOptions>(settings.EarlyStopping).DelayEvaluation);
        Assert.Equal("out", settings.Artifacts);
        Assert.Equal(new AzureTarget("models", "q/v2", "MY_AZURE", null), settings.Azure);
    }

    [Fact]
    public void Resolve_OptionsAndFile_TheCommandLineWins()
    {
        var arguments = new SweepArguments
        {
            Config = Write("sampler: tpe\nseed: 8\nbudget: {max-trials: 40}\nagents: {cpu: {slot-groups: 3}}\nstore: sqlite:file.db\npublish: {azure: {container: models}}\n"),
            Sampler = "sobol",
            Seed = 1,
            MaxTrials = 5,
            Agents = 0,
            Store = "cli.db",
            AzureContainer = "other",
        };

        var settings = SweepSettings.Resolve(arguments, "quadratic", SamplerCatalog.Names, Home);

        Assert.Equal(("sobol", 1L, 5, 0, "cli.db", "other"), (settings.Sampler, settings.Seed!.Value, settings.MaxTrials, settings.Agents, settings.Store, settings.Azure!.Container));
        Assert.Equal("quadratic", settings.Azure.Prefix);
    }

    [Theory]
    [InlineData("retrain: false\n")]
    [InlineData("publish: {enabled: false}\n")]
    public void Resolve_FileTurnsRetrainOrPublishOff_DoesNotPublish(string yaml)
    {
        Assert.False(SweepSettings.Resolve(new SweepArguments { Config = Write(yaml) }, "quadratic", SamplerCatalog.Names, Home).Publish);
    }

    [Fact]
    public void Resolve_GpuDevicesFromAnExperimentWithoutTheGpuPackage_IsAUsageErrorNamingThePackage()
    {
        var exception = Assert.Throws<UsageException>(() => SweepSettings.Resolve(new SweepArguments { Config = Write("agents:\n  gpu: {devices: [0]}\n") }, "quadratic", SamplerCatalog.Names, Home));

        Assert.Contains("'agents.gpu.devices' asks for GPU agents", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Tune.Pipeline.Gpu", exception.Message, StringComparison.Ordinal);
    }

    // The discovery below stands in for Tune.Pipeline.Gpu's, which lists this machine's CUDA devices (none here): it
    // returns devices as that one does (index, cuda:N name, description), so the agents a sweep starts per device show.
    private static Func<IReadOnlyList<GpuDeviceInfo>> Gpus(int count) =>
        () => [.. Enumerable.Range(0, count).Select(i => new GpuDeviceInfo(i, Devices.Cuda(i), $"Test GPU {i} (80 GiB)"))];

    [Fact]
    public void Resolve_GpusAllOnTwoDevices_StartsAGpuAgentPerDeviceAndNoCpuAgent()
    {
        var settings = SweepSettings.Resolve(new SweepArguments { Gpus = "all" }, "quadratic", SamplerCatalog.Names, Home, findGpus: Gpus(2));

        Assert.Equal(["cuda:0", "cuda:1"], settings.GpuAgents);
        Assert.Equal(0, settings.Agents);
        Assert.Equal(2, settings.LocalAgents);
        Assert.Equal(2, settings.MaxConcurrentTrials);
        Assert.StartsWith("GPU agents: cuda:0 Test GPU 0 (80 GiB), cuda:1 Test GPU 1 (80 GiB)", settings.GpuNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FileAsksForOneDeviceTwiceWithCpuAgents_RunsBoth()
    {
        var settings = SweepSettings.Resolve(
            new SweepArguments { Config = Write("agents:\n  cpu: {slot-groups: 1}\n  gpu: {devices: [1], trials-per-device: 2}\n") }, "quadratic", SamplerCatalog.Names, Home, findGpus: Gpus(2));

        Assert.Equal(["cuda:1", "cuda:1"], settings.GpuAgents);
        Assert.Equal(1, settings.Agents);
        Assert.Equal([1], settings.Gpus!.Devices!);
        Assert.Equal((2, "1"), (settings.Gpus.TrialsPerDevice, settings.Gpus.Text));
    }

    [Fact]
    public void Resolve_GpusAskedOnAMachineWithout_SaysSoInOneLineAndRunsCpuAgents()
    {
        var settings = SweepSettings.Resolve(new SweepArguments { Gpus = "0" }, "quadratic", SamplerCatalog.Names, Home, findGpus: Gpus(0));

        Assert.Empty(settings.GpuAgents);
        Assert.Equal(1, settings.Agents);
        Assert.Equal("No GPU found (ILGPU lists no CUDA device here): trials run on CPU agents.", settings.GpuNote);
    }

    [Theory]
    [InlineData("2", "--gpus asks for GPU 2, but this machine has 2: 0 Test GPU 0 (80 GiB), 1 Test GPU 1 (80 GiB). Use indexes 0..1, or all.")]
    [InlineData("zero", "--gpus is 'zero'; use all, none, or device indexes such as 0,2.")]
    public void Resolve_BadGpus_IsAUsageErrorNamingTheFix(string gpus, string expected)
    {
        var exception = Assert.Throws<UsageException>(() => SweepSettings.Resolve(new SweepArguments { Gpus = gpus }, "quadratic", SamplerCatalog.Names, Home, findGpus: Gpus(2)));

        Assert.Equal(expected, exception.Message);
    }

    [Fact]
    public void Record_GpuSettings_AreRestoredOnResumeAndAChangeIsNamed()
    {
        var created = SweepSettings.Resolve(new SweepArguments { Gpus = "0,1", TrialsPerGpu = 2, Seed = 1 }, "quadratic", SamplerCatalog.Names, Home, findGpus: Gpus(2));
        var record = SweepRecord.Of(created, new ExperimentIdentity("quadratic", "loss", Goal.Minimize), seed: 1);

        var restored = SweepSettings.Resolve(record.ToArguments(new SweepArguments()), "quadratic", SamplerCatalog.Names, Home, findGpus: Gpus(2));
        var changed = SweepSettings.Resolve(record.ToArguments(new SweepArguments()) with { Gpus = "all" }, "quadratic", SamplerCatalog.Names, Home, findGpus: Gpus(2));

        Assert.Contains("\"gpus\":\"0,1\"", record.ToJson(), StringComparison.Ordinal);
        Assert.Equal(["cuda:0", "cuda:0", "cuda:1", "cuda:1"], restored.GpuAgents);
        Assert.Empty(SweepRecord.Differences(created, restored));
        Assert.Equal(["gpus: recorded 0,1, given all"], SweepRecord.Differences(created, changed));
    }

    [Fact]
    public void Resolve_GpusNone_RunsNoGpuAgentAndAsksNoDiscovery()
    {
        var settings = SweepSettings.Resolve(new SweepArguments { Gpus = "none" }, "quadratic", SamplerCatalog.Names, Home, findGpus: () => throw new InvalidOperationException("not asked"));

        Assert.Empty(settings.GpuAgents);
        Assert.Null(settings.Gpus);
        Assert.Null(settings.GpuNote);
    }

    [Fact]
    public void Resolve_MisspelledSamplerOption_SuggestsTheNearestName()
    {
        var exception = Assert.Throws<UsageException>(() => SweepSettings.Resolve(new SweepArguments { Sampler = "sobl" }, "quadratic", SamplerCatalog.Names, Home));

        Assert.Contains("Did you mean 'sobol'?", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoFileNoOptions_TakesTheBudgetDefaultsFromSweepOptions()
    {
        var defaults = new Tune.Pipeline.Sweeps.SweepOptions();

        var settings = SweepSettings.Resolve(new SweepArguments(), "quadratic", SamplerCatalog.Names, Home);

        Assert.Equal(defaults.MaxTrials, settings.MaxTrials);
        Assert.Equal(defaults.MaxTrials, settings.Options.MaxTrials);
        Assert.Equal(Tune.Pipeline.Sweeps.SweepOptions.DefaultThreadsPerTrial(1), settings.ThreadsPerTrial);
        Assert.Empty(settings.Options.Validate());
    }

    [Fact]
    public void Resolve_MistakesInTheFileAndOnTheCommandLine_ReportsEveryOneLocated()
    {
        var arguments = new SweepArguments
        {
            Config = Write("seed: many\nbudget:\n  max-trials: 0\n  max-duration: 99999999999h\n  max-retries: 1\n"),
            MaxRetries = -1,
            MaxConcurrentTrials = 0,
            Sampler = "tpee",
        };

        var exception = Assert.Throws<UsageException>(() => SweepSettings.Resolve(arguments, "quadratic", SamplerCatalog.Names, Home));

        var problems = exception.Message.Split(Environment.NewLine);
        Assert.Equal(6, problems.Length);
        Assert.Contains($"{arguments.Config}:1:7: 'seed' is 'many'", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"{arguments.Config}:3:15: 'budget.max-trials' is 0; it must be at least 1.", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"{arguments.Config}:4:17: 'budget.max-duration' is '99999999999h'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--max-retries is -1; it must be between 0 and 100.", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--max-concurrent-trials is 0; it must be between 1 and 4096.", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--sampler is 'tpee', which is not a sampler. Did you mean 'tpe'?", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MoreAgentsThanTheMachineCanRun_IsRefusedUnlessForced()
    {
        var agents = SweepSettings.MaxLocalAgents + 1;

        var exception = Assert.Throws<UsageException>(() => SweepSettings.Resolve(new SweepArguments { Agents = agents }, "quadratic", SamplerCatalog.Names, Home));
        var forced = SweepSettings.Resolve(new SweepArguments { Agents = agents, Force = true }, "quadratic", SamplerCatalog.Names, Home);

        Assert.Equal($"--agents is {agents}, more local agents than this machine can run: at most {SweepSettings.MaxLocalAgents} (4 per logical processor, {Environment.ProcessorCount} here). Use fewer, or pass --force.", exception.Message);
        Assert.Equal(agents, forced.Agents);
    }

    [Theory]
    [InlineData(2, null, 2)]
    [InlineData(2, "1m", 2)]
    [InlineData(2, "50ms", 4)]
    [InlineData(0, null, 1)]
    public void Resolve_NoConcurrencyGiven_KeepsInFlightWhatTheAgentsRunPlusALookaheadForShortTrials(int agents, string? expected, int inFlight)
    {
        var settings = SweepSettings.Resolve(
            new SweepArguments { Agents = agents, ExpectedTrialDuration = expected is null ? null : Durations.Parse(expected) }, "quadratic", SamplerCatalog.Names, Home);

        Assert.Equal(inFlight, settings.MaxConcurrentTrials);
    }

    [Fact]
    public void Resolve_ManyForcedAgents_KeepsTheDefaultConcurrencyWithinItsLimit()
    {
        var settings = SweepSettings.Resolve(new SweepArguments { Agents = 5000, Force = true }, "quadratic", SamplerCatalog.Names, Home);

        Assert.Equal(Tune.Pipeline.Sweeps.SweepOptions.MaxConcurrentTrialsLimit, settings.MaxConcurrentTrials);
    }

    [Fact]
    public void Resolve_OptionOutOfRange_NamesTheOptionWithoutTheLibrarysNullAlternative()
    {
        var exception = Assert.Throws<UsageException>(() => SweepSettings.Resolve(new SweepArguments { ThreadsPerTrial = 0 }, "quadratic", SamplerCatalog.Names, Home));

        Assert.Equal("--threads-per-trial is 0; it must be at least 1.", exception.Message);
    }

    [Fact]
    public void Resolve_CommandLineFixesTheFilesValue_IsValid()
    {
        var settings = SweepSettings.Resolve(new SweepArguments { Config = Write("budget: {max-trials: 0}\n"), MaxTrials = 3 }, "quadratic", SamplerCatalog.Names, Home);

        Assert.Equal(3, settings.MaxTrials);
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, "sweep.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
