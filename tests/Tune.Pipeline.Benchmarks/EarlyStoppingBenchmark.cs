extern alias faq;

using System.Diagnostics;
using System.Globalization;
using BreastCancer;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Sweeps;
using FaqMatchingExperiment = faq::FaqMatching.FaqMatchingExperiment;
using FaqMatchingExperimentSearchSpace = faq::FaqMatching.FaqMatchingExperimentSearchSpace;

namespace Tune.Pipeline.Benchmarks;

/// <summary>
/// Runs each example's seeded sweep in this process without early stopping, with median stopping (EvaluationInterval 1,
/// DelayEvaluation 5) and with successive halving (ASHA, MinResource 50, ReductionFactor 3), at the same trial budget,
/// and prints a markdown table: best objective, pruned trials, boosting rounds reported (the sum of each trial's last
/// step) and process CPU seconds, as means over the seeds, with the savings against no early stopping.
/// </summary>
/// <remarks>
/// Options: <c>--examples breast-cancer,faq-matching</c>, <c>--seeds N</c> (seeds 0..N-1; default 3),
/// <c>--trials N</c> (default 30 for breast-cancer, 20 for faq-matching). Trials run one at a time with one thread,
/// so CPU seconds are the work done. A stop request reaches a trial between its training stages (see
/// experiments/Shared/BoostingStages.cs), so the rounds a pruned trial trained can exceed its last step by one stage.
/// </remarks>
internal static class EarlyStoppingBenchmark
{
    private static readonly (string Name, Func<EarlyStoppingPolicyOptions> Options)[] Policies =
    [
        ("none", () => new NoEarlyStoppingPolicyOptions()),
        ("median (interval 1, delay 5)", () => new MedianStoppingPolicyOptions { EvaluationInterval = 1, DelayEvaluation = 5 }),
        ("ASHA (min 50, factor 3)", () => new SuccessiveHalvingPolicyOptions { MinResource = 50, ReductionFactor = 3 }),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var examples = new List<string> { "breast-cancer", "faq-matching" };
        var seeds = 3;
        int? trials = null;
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
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        Console.WriteLine($"Early stopping: {seeds} seeds, trials one at a time, one thread; means over the seeds.");
        Console.WriteLine();
        Console.WriteLine("| example | trials | policy | best objective | best, worst seed | pruned | rounds reported | CPU s | rounds saved | CPU saved |");
        Console.WriteLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var example in examples)
        {
            var budget = trials ?? (example == "faq-matching" ? 20 : 30);
            (double Rounds, double Cpu)? baseline = null;
            foreach (var (policy, options) in Policies)
            {
                var runs = new List<(double Best, int Pruned, long Rounds, double Cpu)>();
                for (var seed = 0; seed < seeds; seed++)
                {
                    runs.Add(await SweepAsync(example, options(), seed, budget));
                }

                var rounds = runs.Average(r => r.Rounds);
                var cpu = runs.Average(r => r.Cpu);
                baseline ??= (rounds, cpu);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {example} | {budget} | {policy} | {runs.Average(r => r.Best):F4} | {runs.Max(r => r.Best):F4}, {runs.Min(r => r.Best):F4} | {runs.Average(r => r.Pruned):F1} | {rounds:F0} | {cpu:F1} | {1 - (rounds / baseline.Value.Rounds):P0} | {1 - (cpu / baseline.Value.Cpu):P0} |"));
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
            _ => throw new ArgumentException($"No example named '{example}'.", nameof(example)),
        };
        var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return (result.BestTrial?.Value ?? double.NaN, result.Count(TrialState.Pruned), result.Trials.Sum(t => t.LastStep?.Step ?? 0), seconds);
    }
}
