using FaqMatching;
using Tune.Pipeline.Hosting;

// The experiment's executable: `sweep`, `agent`, `retrain` and `status` (run it with --help).
return await ExperimentHost.RunAsync<FaqMatchingExperiment, FaqMatchingExperiment.Parameters>(args, FaqMatchingExperimentSearchSpace.Instance);
