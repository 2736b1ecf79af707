extern alias faq;

using System.Diagnostics;
using System.Globalization;
using BreastCancer;
using DigitsGpu;
using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Sweeps;
using FaqMatchingExperiment = faq::FaqMatching.FaqMatchingExperiment;
using FaqMatchingExperimentSearchSpace = faq::FaqMatching.FaqMatchingExperimentSearchSpace;

namespace Tune.Pipeline.Benchmarks;

/// <summary>
/// Runs each example's seeded sweep in this process without early stopping, with median stopping (EvaluationInterval 1,
/// DelayEvaluation 5) and with successive halving (ASHA: MinResource one step, 50 boosting rounds or 1 epoch, by
/// default; ReductionFactor 3), at the same trial budget, and prints a markdown table: best objective, pruned trials,
/// work reported (the sum of each trial's last step: boosting rounds, or epochs for digits-gpu) and process CPU
/// seconds, as means over the seeds, with the savings against no early stopping.
/// </summary>
/// <remarks>
/// Options: <c>--examples breast-cancer,faq-matching,digits-gpu</c>, <c>--seeds N</c> (seeds 0..N-1; default 3),
/// <c>--trials N</c> (default 30 for breast-cancer, 20 for faq-matching, 12 for digits-gpu), <c>--asha-grace S</c>
/// (ASHA's first rung after S steps; default 1), <c>--asha-factor F</c> (default 3) and <c>--policies none,median,asha</c>
/// (default all three; savings are against the none row, so without it they are left out). Trials run one at a time with
/// one thread, so CPU seconds are the work done. A stop request reaches a boosting trial between its training stages
/// (see experiments/Shared/BoostingStages.cs), so the rounds a pruned trial trained can exceed its last step by one
/// stage; a digits-gpu trial sees it at the next epoch. digits-gpu sweeps its space as narrowed by
/// <see cref="DigitsSpace"/> (10 to 12 epochs, ILGPU's CPU accelerator), sized for a 2-core machine.
/// </remarks>
internal static class EarlyStoppingBenchmark
{
    /// <summary>The space digits-gpu is benchmarked on: its sweep.yaml's, with 10 to 12 epochs so that stopping has room to save.</summary>
    private const string DigitsSpace = """
        space:
          Epochs: {type: int, min: 10, max: 12}
          Width: {type: int, min: 16, max: 48, log: true}
          Depth: {type: int, min: 1, max: 2}
          BatchSize: {type: choice, values: [256]}
          LearningRate: {type: loguniform, min: 0.02, max: 0.5}
        """;

    // The policies, given the example's step size (boosting rounds per step, or 1 epoch) and ASHA's grace and factor.
    private static (string Name, EarlyStoppingPolicyOptions Options)[] Policies(long stepSize, long ashaGrace, int ashaFactor) =>
    [
        ("none", new NoEarlyStoppingPolicyOptions()),
        ("median (interval 1, delay 5)", new MedianStoppingPolicyOptions { EvaluationInterval = 1, DelayEvaluation = 5 }),
        (string.Create(CultureInfo.InvariantCulture, $"ASHA (min {ashaGrace * stepSize}, factor {ashaFactor})"), new SuccessiveHalvingPolicyOptions { MinResource = ashaGrace * stepSize, ReductionFactor = ashaFactor }),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var examples = new List<string> { "breast-cancer", "faq-matching" };
        var seeds = 3;
        int? trials = null;
        var ashaGrace = 1L;
        var ashaFactor = 3;
        string[]? policies = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--examples":
                    examples = [.. args[++i].Split(',')];
                    break;
                case "--seeds":
                    seeds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--trials":
                    trials = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--asha-grace":
                    ashaGrace = long.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--asha-factor":
                    ashaFactor = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--policies":
                    policies = args[++i].Split(',');
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        Console.WriteLine($"Early stopping: {seeds} seeds, trials one at a time, one thread; means over the seeds.");
        Console.WriteLine();
        Console.WriteLine("| example | trials | policy | best objective | best, worst seed | pruned | work reported | CPU s | work saved | CPU saved |");
        Console.WriteLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var example in examples)
        {
            var budget = trials ?? example switch { "faq-matching" => 20, "digits-gpu" => 12, _ => 30 };
            (double Rounds, double Cpu)? baseline = null;
            foreach (var (policy, options) in Policies(example == "digits-gpu" ? 1 : BoostingStepSize, ashaGrace, ashaFactor))
            {
                // Savings need the none row: a run of some policies only (several runs side by side) prints them blank.
                if (policies is not null && !policies.Any(p => policy.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var runs = new List<(double Best, int Pruned, long Rounds, double Cpu)>();
                for (var seed = 0; seed < seeds; seed++)
                {
                    runs.Add(await SweepAsync(example, options, seed, budget));
                }

                var rounds = runs.Average(r => r.Rounds);
                var cpu = runs.Average(r => r.Cpu);
                if (policy == "none")
                {
                    baseline = (rounds, cpu);
                }

                var saved = baseline is { } b ? string.Create(CultureInfo.InvariantCulture, $"{1 - (rounds / b.Rounds):P0} | {1 - (cpu / b.Cpu):P0}") : " | ";
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {example} | {budget} | {policy} | {runs.Average(r => r.Best):F4} | {runs.Max(r => r.Best):F4}, {runs.Min(r => r.Best):F4} | {runs.Average(r => r.Pruned):F1} | {rounds:F0} | {cpu:F1} | {saved} |"));
            }
        }

        return 0;
    }

    private static async Task<(double Best, int Pruned, long Rounds, double Cpu)> SweepAsync(string example, EarlyStoppingPolicyOptions policy, int seed, int trials)
    {
        var builder = new SweepBuilder($"{example}-{seed}")
            .UseEarlyStopping(policy)
            .Configure(o =>
            {
                o.Goal = Goal.Maximize;
                o.Seed = seed;
                o.MaxTrials = trials;
                o.MaxConcurrentTrials = 1;
            });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = example switch
        {
            "breast-cancer" => await builder.Build(BreastCancerExperimentSearchSpace.Instance).RunAsync(new BreastCancerExperiment()),
            "faq-matching" => await builder.Build(FaqMatchingExperimentSearchSpace.Instance).RunAsync(new FaqMatchingExperiment()),
            "digits-gpu" => await RunDigitsAsync(builder),
            _ => throw new ArgumentException($"No example named '{example}'.", nameof(example)),
        };
        var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return (result.BestTrial?.Value ?? double.NaN, result.Count(TrialState.Pruned), result.Trials.Sum(t => t.LastStep?.Step ?? 0), seconds);
    }

    /// <summary>Gets the boosting rounds between two step values of the boosting examples (BoostingStages.RoundsPerStep).</summary>
    private const long BoostingStepSize = 50;

    private static async Task<SweepResult> RunDigitsAsync(SweepBuilder builder)
    {
        var space = DigitsGpuExperimentSearchSpace.Instance;
        var file = SweepFileParser.Parse(DigitsSpace, "digits-benchmark.yaml");
        using var experiment = new DigitsGpuExperiment();
        var result = await builder.Build(new OverriddenSearchSpace<DigitsGpuExperiment.Parameters>(space, file.ApplySpaceOverrides(space))).RunAsync(experiment);

        // What preparing once per agent saves each later trial: the parse, the accelerator, the upload and the kernels' compile.
        var epochs = result.Trials.Sum(t => t.LastStep?.Step ?? 0);
        var seconds = result.Trials.Where(t => t.StartedAt is not null && t.EndedAt is not null).Sum(t => (t.EndedAt!.Value - t.StartedAt!.Value).TotalSeconds);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"digits-gpu: prepared once in {experiment.PrepareTime.TotalMilliseconds:F0} ms; trials took {seconds / result.Trials.Length:F2} s each on average ({seconds / Math.Max(1, epochs):F3} s an epoch)."));
        return result;
    }
}
