using BreastCancer;
using Tune.Pipeline.Hosting;

// The experiment's executable: `sweep`, `agent`, `retrain` and `status` (run it with --help).
return await ExperimentHost.RunAsync<BreastCancerExperiment, BreastCancerExperiment.Parameters>(args, BreastCancerExperimentSearchSpace.Instance, new ExperimentHostOptions
{
    ExperimentName = BreastCancerExperimentSearchSpace.ExperimentName,
    ObjectiveMetric = BreastCancerExperimentSearchSpace.ObjectiveMetric,
    Goal = BreastCancerExperimentSearchSpace.ObjectiveGoal,
    DataFiles = { BreastCancerExperiment.DataPath },
});
