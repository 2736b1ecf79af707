using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting.Tests.SweepFiles;

public class SweepFileParserTests
{
    private static readonly SearchSpace Declared = new(
    [
        Parameter.LogUniform("LearningRate", 1e-3, 0.3),
        Parameter.IntRange("Leaves", 4, 64, log: true),
        Parameter.Choice("Booster", ["gbdt", "dart"]),
        Parameter.QUniform("Trees", 50, 400, 50, integral: true),
    ]);

    private static SweepFileException Mistake(string yaml) =>
        Assert.Throws<SweepFileException>(() => SweepFileParser.Parse(yaml, "sweep.yaml"));

    [Fact]
    public void Parse_EverySection_ReadsEverySetting()
    {
        var file = SweepFileParser.Parse("""
            sampler: tpe
            seed: 42
            early-stopping: {policy: bandit, slack-factor: 0.1, evaluation-interval: 2, delay-evaluation: 5}
            budget:
              max-trials: 60
              max-concurrent-trials: 4
              max-duration: 1h30m
              trial-timeout: 00:05:00
              max-trials-without-improvement: 20
              target-value: 0.99
              max-retries: 1
            agents:
              cpu: {slot-groups: 2, threads-per-trial: 4}
              gpu: {devices: [0, 1]}
            store: sqlite:.tune/tune.db
            tracking: {mlflow: "http://127.0.0.1:5000"}
            retrain: true
            publish:
              directory: out
              azure: {container: models, prefix: breast-cancer, credential-variable: AZURE_STORAGE_CONNECTION_STRING}
            """, "sweep.yaml");

        Assert.Equal(("tpe", 42L), (file.Sampler, file.Seed));
        var bandit = Assert.IsType<BanditPolicyOptions>(file.EarlyStopping);
        Assert.Equal((0.1, 2L, 5L), (bandit.SlackFactor!.Value, bandit.EvaluationInterval, bandit.DelayEvaluation));
        Assert.Equal(new SweepFileBudget
        {
            MaxTrials = 60, MaxConcurrentTrials = 4, MaxDuration = TimeSpan.FromMinutes(90), TrialTimeout = TimeSpan.FromMinutes(5),
            MaxTrialsWithoutImprovement = 20, TargetValue = 0.99, MaxRetries = 1,
        }, file.Budget);
        Assert.Equal((2, 4), (file.Agents.CpuSlotGroups!.Value, file.Agents.ThreadsPerTrial!.Value));
        Assert.Equal([0, 1], file.Agents.GpuDevices!);
        Assert.Equal("sqlite:.tune/tune.db", file.Store);
        Assert.Equal(new Uri("http://127.0.0.1:5000"), file.TrackingUri);
        Assert.True(file.Retrain);
        Assert.Equal(("out", "models", "breast-cancer", "AZURE_STORAGE_CONNECTION_STRING"), (file.Publish.Directory, file.Publish.AzureContainer, file.Publish.AzurePrefix, file.Publish.AzureCredentialVariable));
    }

    [Fact]
    public void Parse_EmptyFile_SetsNothing()
    {
        var file = SweepFileParser.Parse("", "sweep.yaml");

        Assert.Equal((null, null, null, null, null, null, null), (file.Sampler, file.Seed, file.EarlyStopping, file.Store, file.TrackingUri, file.Retrain, file.SpaceOverrides));
        Assert.Equal((new SweepFileBudget(), new SweepFileAgents(), new SweepFilePublish()), (file.Budget, file.Agents, file.Publish));
    }

    [Fact]
    public void ApplyTo_SomeSettings_ChangesOnlyThose()
    {
        var file = SweepFileParser.Parse("seed: 7\nbudget: {max-trials: 12}\nagents: {cpu: {threads-per-trial: 2}}", "sweep.yaml");
        var options = new SweepOptions { MaxConcurrentTrials = 3, MaxRetries = 2 };

        file.ApplyTo(options);

        Assert.Equal((7L, 12, 3, 2, 2), (options.Seed, options.MaxTrials, options.MaxConcurrentTrials, options.MaxRetries, options.ThreadsPerTrial!.Value));
    }

    [Fact]
    public void Parse_MisspelledKey_NamesFileLineColumnKeyAndAllowedKeys()
    {
        var error = Mistake("seed: 1\nbudget:\n  max-trial: 5\n");

        var problem = Assert.Single(error.Problems);
        Assert.Equal("sweep.yaml:3:3: unknown key 'budget.max-trial' (did you mean 'max-trials'?); the keys allowed in 'budget' are max-trials, max-concurrent-trials, max-duration, trial-timeout, max-trials-without-improvement, target-value, max-retries.", problem);
    }

    [Fact]
    public void Parse_UnknownSampler_SuggestsAndListsSamplers()
    {
        var error = Mistake("sampler: tpee");

        Assert.Equal("sweep.yaml:1:10: 'sampler' is 'tpee' (did you mean 'tpe'?); use one of auto, gp, grid, random, sobol, tpe.", Assert.Single(error.Problems));
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEveryOne()
    {
        var error = Mistake("""
            seed: forty-two
            budget: {max-trials: many, max-duration: soon}
            store: mysql://db
            retrain: yes
            """);

        Assert.Equal(5, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("sweep.yaml:1:7: 'seed' is 'forty-two'; use a whole number", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("'budget.max-trials' is 'many'; use a whole number from", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("'budget.max-duration' is 'soon'; use a positive duration such as 500ms, 90s, 15m, 2h, 1h30m or 01:30:00, of at most 49 days.", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("sweep.yaml:3:8: 'store' is 'mysql://db'; use sqlite:<path>", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("sweep.yaml:4:10: 'retrain' is 'yes'; use true or false.", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_KeyOfAnotherPolicy_ListsThisPolicysKeys()
    {
        var error = Mistake("early-stopping:\n  policy: median\n  slack-factor: 0.1\n");

        Assert.Equal("sweep.yaml:3:3: unknown key 'early-stopping.slack-factor'; the keys allowed in 'early-stopping' for policy median are policy, evaluation-interval, delay-evaluation.", Assert.Single(error.Problems));
    }

    [Fact]
    public void Parse_UnknownPolicy_ListsPolicies()
    {
        var error = Mistake("early-stopping: {policy: asha}");

        Assert.Contains("'early-stopping.policy' is 'asha'; use one of none, bandit, median, truncation, successive-halving.", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SecretInFile_IsRefusedPointingToEnvironmentVariable()
    {
        var error = Mistake("publish:\n  azure:\n    container: models\n    connection-string: AccountKey=abc\n");

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("sweep.yaml:4:5: 'publish.azure.connection-string' would put a secret in the sweep file", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=abc", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotYaml_NamesPosition()
    {
        var error = Mistake("budget: {max-trials: 5\n");

        Assert.StartsWith("sweep.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML or JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysSo()
    {
        var error = Assert.Throws<SweepFileException>(() => SweepFileParser.Load("/nonexistent/sweep.yaml"));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplySpaceOverrides_NarrowedAndRescaled_ReplacesThemInPlace()
    {
        var file = SweepFileParser.Parse("""
            space:
              Trees: {type: quniform, min: 100, max: 300, q: 100}
              LearningRate: {type: uniform, min: 0.01, max: 0.1}
              Leaves: {type: int, min: 8, max: 32}
              Booster: {type: choice, values: [dart]}
            """, "sweep.yaml");

        var space = file.ApplySpaceOverrides(Declared);

        Assert.Equal(["LearningRate", "Leaves", "Booster", "Trees"], space.Parameters.Select(p => p.Name));
        Assert.Equal("Uniform(0.01, 0.1)", space["LearningRate"].Describe());
        Assert.Equal("IntRange(8, 32)", space["Leaves"].Describe());
        Assert.Equal(["dart"], space["Booster"].Choices);
        Assert.Equal([100L, 200L, 300L], space["Trees"].EnumerateValues());
    }

    [Fact]
    public void ApplySpaceOverrides_None_ReturnsDeclaredSpace()
    {
        Assert.Same(Declared, SweepFileParser.Parse("seed: 1", "sweep.yaml").ApplySpaceOverrides(Declared));
    }

    [Fact]
    public void ApplySpaceOverrides_UnknownParameter_SuggestsDeclaredOneAtItsLine()
    {
        var file = SweepFileParser.Parse("seed: 1\nspace:\n  LearningRat: {type: uniform, min: 0.01, max: 0.1}\n", "sweep.yaml");

        var error = Assert.Throws<SweepFileException>(() => file.ApplySpaceOverrides(Declared));

        Assert.Equal("sweep.yaml:3:3: space override 'LearningRat' is not a parameter of the experiment (did you mean 'LearningRate'?); overrides may narrow or re-scale LearningRate, Leaves, Booster, Trees, not add parameters.", Assert.Single(error.Problems));
    }

    [Theory]
    [InlineData("LearningRate: {type: loguniform, min: 0.0001, max: 0.1}", "space override 'LearningRate' widens LogUniform(0.001, 0.3) to [0.0001, 0.1]; an override may only narrow it: use bounds within [0.001, 0.3].")]
    [InlineData("Leaves: {type: uniform, min: 8, max: 32}", "space override 'Leaves' holds real values, but the experiment declares IntRange(4, 64, Log) with integer values; keep its kind of value.")]
    [InlineData("Booster: {type: choice, values: [dart, goss]}", "space override 'Booster' has choice 'goss', which the experiment does not declare; choose among 'gbdt', 'dart'.")]
    [InlineData("Trees: {type: quniform, min: 75, max: 300, q: 25}", "space override 'Trees' can propose 75, which is not on the experiment's grid QUniform(50, 400, 50); use bounds on that grid and a q that is a multiple of 50.")]
    [InlineData("LearningRate: {type: normal, mu: 0.1, sigma: 0.01}", "space override 'LearningRate' is Normal(0.1, 0.01), which is unbounded, but the experiment declares LogUniform(0.001, 0.3); use uniform, loguniform, quniform or int with bounds within [0.001, 0.3].")]
    public void ApplySpaceOverrides_OverrideDoesNotFit_SaysWhyAndWhatIsAllowed(string line, string expected)
    {
        var file = SweepFileParser.Parse("space:\n  " + line + "\n", "sweep.yaml");

        var error = Assert.Throws<SweepFileException>(() => file.ApplySpaceOverrides(Declared));

        Assert.Equal("sweep.yaml:2:3: " + expected, Assert.Single(error.Problems));
    }

    [Fact]
    public void Parse_SpaceOverrideMistake_ReportedByTheSpaceFileParser()
    {
        var error = Mistake("space:\n  LearningRate: {type: unifrom, min: 0.01, max: 0.1}\n");

        Assert.Contains("sweep.yaml:2:24: parameter 'LearningRate' has type 'unifrom' (did you mean 'uniform'?)", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SweepFile_AppliedToBuilder_RunsSweepOnOverriddenSpace()
    {
        var file = SweepFileParser.Parse("""
            sampler: random
            seed: 5
            early-stopping: none
            budget: {max-trials: 8}
            space:
              Booster: {type: choice, values: [dart]}
              Leaves: {type: int, min: 8, max: 16}
            """, "sweep.yaml");

        var sweep = new SweepBuilder("from-file")
            .UseSampler(Samplers.SamplerCatalog.CreateOptions(file.Sampler!))
            .UseEarlyStopping(file.EarlyStopping!)
            .Configure(file.ApplyTo)
            .Build(file.ApplySpaceOverrides(Declared));
        var result = await sweep.RunAsync(new InProcessTrialAgent((c, _) => c.GetDouble("LearningRate")), TestContext.Current.CancellationToken);

        Assert.Equal(8, result.Trials.Length);
        Assert.All(result.Trials, t => Assert.Equal("dart", t.Configuration["Booster"]));
        Assert.All(result.Trials, t => Assert.InRange(t.Configuration.GetInt64("Leaves"), 8, 16));
    }

    [Theory]
    [InlineData("warm-start: first", new[] { "first" })]
    [InlineData("warm-start: [first, artifacts/x/sweep.lock.json]", new[] { "first", "artifacts/x/sweep.lock.json" })]
    public void Parse_WarmStart_ReadsOneSourceOrAList(string yaml, string[] expected)
    {
        Assert.Equal(expected, SweepFileParser.Parse(yaml, "sweep.yaml").WarmStart);
    }

    [Fact]
    public void Parse_WarmStartFromSixSweeps_IsAProblemAtItsLine()
    {
        var error = Mistake("warm-start: [a, b, c, d, e, f]");

        Assert.Equal("sweep.yaml:1:13: 'warm-start' names 6 sweeps; a sweep warm-starts from at most 5.", Assert.Single(error.Problems));
    }
}
