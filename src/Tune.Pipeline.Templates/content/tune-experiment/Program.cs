using Tune.Pipeline.Hosting;
using TuneExperiment;

// The experiment's executable: `sweep`, `agent`, `retrain` and `status` (run it with --help). The data file is
// fingerprinted into the published manifest.
return await ExperimentHost.RunAsync<TuneExperimentExperiment, TuneExperimentExperiment.Parameters>(args, TuneExperimentExperimentSearchSpace.Instance, new() { DataFiles = { TuneExperimentExperiment.DataPath } });
