using BreastCancer;
using Tune.Pipeline;
using Tune.Pipeline.Sweeps;

// Sweeps the experiment in this process with the embedded defaults; the hosting verbs (agents, store, resume) replace
// this when the experiment host lands.
var space = BreastCancerExperimentSearchSpace.Instance;
var maxTrials = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 30;
var sweep = new SweepBuilder(BreastCancerExperimentSearchSpace.ExperimentName)
    .Configure(o =>
    {
        o.Goal = BreastCancerExperimentSearchSpace.ObjectiveGoal;
        o.Seed = 42;
        o.MaxTrials = maxTrials;
        o.MaxConcurrentTrials = 2;
    })
    .EnqueueDefaults()
    .Build(space);

var result = await sweep.RunAsync(new BreastCancerExperiment(), CancellationToken.None);
foreach (var trial in result.Trials.OrderByDescending(t => t.Value ?? double.NegativeInfinity).Take(5))
{
    Console.WriteLine($"trial {trial.Number,3}  {BreastCancerExperimentSearchSpace.ObjectiveMetric} {trial.Value:F4}  {trial.Configuration}");
}

Console.WriteLine($"best: trial {result.BestTrial?.Number} ({result.StopReason})");
return 0;
