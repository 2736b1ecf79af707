using BreastCancer;
using Tune.Pipeline.Hosting;

// The experiment's executable: `sweep`, `agent`, `retrain` and `status` (run it with --help). The generated space carries
// the experiment's name, objective and goal; the data file is fingerprinted into the published manifest.
return await ExperimentHost.RunAsync<BreastCancerExperiment, BreastCancerExperiment.Parameters>(args, BreastCancerExperimentSearchSpace.Instance, new() { DataFiles = { BreastCancerExperiment.DataPath } });
